import { Textarea } from '@mantine/core';
import type { ReactElement } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { usePortal } from '../../state/portal.store';

/** The message field, with the clinic's length limit counted as the patient writes. */
export function MessageBody({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}): ReactElement {
  const { t, fmt } = useI18n();
  const max = usePortal((s) => s.clinic.maxBodyChars);
  return (
    <Textarea
      label={label}
      description={`${t('msg.bodyHint')} ${t('msg.chars', { n: fmt.number(value.length), max: fmt.number(max) })}`}
      required
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      autosize
      minRows={4}
      maxRows={14}
    />
  );
}

/** Why a message body is refused, or undefined. */
export function bodyProblem(body: string, max: number, t: ReturnType<typeof useI18n>['t']): string | undefined {
  if (body.trim() === '') return t('msg.bodyMissing');
  if (body.length > max) return t('msg.bodyTooLong', { max });
  return undefined;
}
