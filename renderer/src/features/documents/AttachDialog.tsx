import { Alert, Button, FileInput, Group, Modal, Stack } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { DocumentMeta } from '../../../../shared/api/documents.contract';
import { DOCUMENT_MAX_BYTES, tooLargeMessage } from '../../../../shared/domain/records';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { fileBase64 } from '../../lib/file-bytes';
import { DocumentFields, emptyDraft, type DocumentDraft } from './DocumentFields';

/** The file types a chart holds; the backend reads the real type from the bytes and refuses the rest. */
export const ACCEPT = 'application/pdf,image/jpeg,image/png,image/tiff,.pdf,.jpg,.jpeg,.png,.tif,.tiff';

/** A file's name without its extension: the title a person most often keeps. */
export const titleOf = (name: string): string => name.replace(/\.[A-Za-z0-9]{1,5}$/, '').slice(0, 200);

/** Attaches a PDF or image to the chart: the file, then what it is (category, title, date, source). */
export function AttachDialog({
  patientId,
  onClose,
  onAttached,
}: {
  patientId: string;
  onClose: () => void;
  onAttached: (d: DocumentMeta) => void;
}): ReactElement {
  const [file, setFile] = useState<File | null>(null);
  const [draft, setDraft] = useState<DocumentDraft>(emptyDraft());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pick = (f: File | null): void => {
    setFile(f);
    setError(null);
    setErrors({});
    if (f && !draft.title) setDraft({ ...draft, title: titleOf(f.name) });
  };

  const attach = async (): Promise<void> => {
    if (!file) return setErrors({ dataBase64: 'choose the file to attach' });
    if (!draft.category) return setErrors({ category: 'choose what kind of document this is' });
    // Said at once, before a large file is read and sent: the backend refuses it the same way.
    if (file.size > DOCUMENT_MAX_BYTES) return setError(tooLargeMessage(file.size));
    setBusy(true);
    const r = await api['documents.attach']({
      patientId,
      category: draft.category,
      title: draft.title,
      documentDate: draft.documentDate || null,
      source: draft.source.trim() || null,
      fileName: file.name,
      dataBase64: await fileBase64(file),
    });
    setBusy(false);
    if (!r.ok) {
      setErrors(issuesToErrors(r.error.issues));
      return setError(r.error.message);
    }
    onAttached(r.value);
  };

  return (
    <Modal opened onClose={onClose} title="Attach a document" size="lg">
      <Stack>
        {error && (
          <Alert color="red" data-testid="attach-error">
            {error}
          </Alert>
        )}
        <FileInput
          label="File"
          description="A PDF, or a JPEG, PNG or TIFF image"
          placeholder="Choose a file"
          accept={ACCEPT}
          value={file}
          onChange={pick}
          error={errors['dataBase64'] ?? errors['fileName']}
          required
          data-autofocus
          data-testid="attach-file"
        />
        <DocumentFields
          draft={draft}
          onChange={(d) => {
            setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => d[k as keyof DocumentDraft] === draft[k as keyof DocumentDraft])));
            setDraft(d);
          }}
          errors={errors}
          withSource
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void attach()} loading={busy} data-testid="attach-submit">
            Attach to chart
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
