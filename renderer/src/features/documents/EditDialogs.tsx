import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { DocumentMeta } from '../../../../shared/api/documents.contract';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { DocumentFields, type DocumentDraft } from './DocumentFields';

/** Corrects a document's title, category or date (refused if someone else changed it meanwhile). */
export function EditDocumentDialog({ doc, onClose, onSaved }: { doc: DocumentMeta; onClose: () => void; onSaved: () => void }): ReactElement {
  const [draft, setDraft] = useState<DocumentDraft>({
    category: doc.category,
    title: doc.title,
    documentDate: doc.documentDate ?? '',
    source: doc.source ?? '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const save = async (): Promise<void> => {
    if (!draft.category) return setErrors({ category: 'choose what kind of document this is' });
    const r = await api['documents.update']({
      id: doc.id,
      version: doc.version,
      title: draft.title,
      category: draft.category,
      documentDate: draft.documentDate || null,
    });
    if (!r.ok) {
      setErrors(issuesToErrors(r.error.issues));
      return setError(r.error.message);
    }
    onSaved();
  };
  return (
    <Modal opened onClose={onClose} title={`Edit ${doc.title}`}>
      <Stack>
        {error && <Alert color="red">{error}</Alert>}
        <DocumentFields draft={draft} onChange={setDraft} errors={errors} withSource={false} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void save()} data-testid="document-save">
            Save changes
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Removes a document from the chart or the inbox, with the reason (the backend keeps it for the audit). */
export function RemoveDocumentDialog({ doc, onClose, onRemoved }: { doc: DocumentMeta; onClose: () => void; onRemoved: () => void }): ReactElement {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const remove = async (): Promise<void> => {
    const r = await api['documents.remove']({ id: doc.id, reason });
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    onRemoved();
  };
  return (
    <Modal opened onClose={onClose} title={`Remove ${doc.title}`}>
      <Stack>
        <TextInput
          label="Why is it removed?"
          description="For example: filed to the wrong chart, a duplicate, a blank page"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error}
          data-autofocus
          data-testid="document-remove-reason"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep it
          </Button>
          <Button color="red" onClick={() => void remove()} data-testid="document-remove-confirm">
            Remove document
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
