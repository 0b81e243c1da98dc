import { FileInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { usePortal } from '../../state/portal.store';
import { attachmentTypeOf, readBase64, type Attachment } from './attachment';

/**
 * An optional attachment (PDF, JPEG or PNG). The clinic's size limit is said beside the field and
 * checked as soon as a file is chosen, so nothing too big is ever uploaded. The parent clears it by
 * remounting it (a new `key`) once the message is sent.
 */
export function AttachmentPicker({ onChange }: { onChange: (a: Attachment) => void }): ReactElement {
  const { t, fmt } = useI18n();
  const limit = usePortal((s) => s.clinic.maxAttachmentBytes);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | undefined>();
  const pick = async (f: File | null): Promise<void> => {
    setFile(f);
    setError(undefined);
    if (f === null) return onChange(null);
    const type = attachmentTypeOf(f);
    const problem =
      type === null
        ? t('msg.badType', { name: f.name })
        : f.size > limit
          ? t('msg.tooBig', { name: f.name, size: fmt.bytes(f.size), limit: fmt.bytes(limit) })
          : null;
    if (type === null || problem !== null) {
      setError(problem ?? undefined);
      return onChange('refused');
    }
    onChange('reading');
    try {
      onChange({ name: f.name, type, bytes: f.size, dataBase64: await readBase64(f) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      onChange('refused');
    }
  };
  return (
    <FileInput
      label={t('msg.attach')}
      description={t('msg.attachHint', { size: fmt.bytes(limit) })}
      placeholder={t('msg.attachPick')}
      accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
      value={file}
      onChange={(f) => void pick(f)}
      error={error}
      clearable
      clearButtonProps={{ 'aria-label': t('msg.attachRemove') }}
      data-testid="attachment-input"
    />
  );
}
