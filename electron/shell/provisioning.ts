import type { ProvisionOutcome } from '../../shared/domain/provisioning';

/** A message box's content (Electron's MessageBoxOptions' type, title, message and detail). */
export interface Notice {
  type: 'info' | 'error';
  title: string;
  message: string;
  detail: string;
}

/**
 * What the person is shown after provisioning: the failure's title and what to do (the same words
 * as the log line), or that this computer is now enrolled; nothing when there was nothing to do.
 */
export function provisioningNotice(outcome: ProvisionOutcome | undefined): Notice | null {
  if (!outcome) return null;
  switch (outcome.status) {
    case 'no-file':
    case 'nothing-to-do':
      return null;
    case 'enrolled':
      return {
        type: 'info',
        title: 'Cairn',
        message: outcome.message,
        detail: outcome.codeRemoved
          ? 'It syncs with the clinic server from now on.'
          : `It syncs with the clinic server from now on. The enrollment code could not be removed from ${outcome.file}: delete that file.`,
      };
    case 'failed':
      return { type: 'error', title: 'Cairn', message: outcome.title, detail: outcome.action };
  }
}
