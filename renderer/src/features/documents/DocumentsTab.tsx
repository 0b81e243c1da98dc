import { Alert, Anchor, Button, Grid, Group, Loader, Select, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { DocumentMeta } from '../../../../shared/api/documents.contract';
import { DOCUMENT_CATEGORY_LABELS, formatBytes, type DocumentCategory } from '../../../../shared/domain/records';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { mayShow } from '../../stores/screens';
import { useSession } from '../../stores/session.store';
import { AttachDialog } from './AttachDialog';
import { day } from './bytes';
import { CATEGORY_OPTIONS } from './DocumentFields';
import { DocumentViewer } from './DocumentViewer';
import { EditDocumentDialog, RemoveDocumentDialog } from './EditDialogs';

const ORIGIN_LABELS: Record<DocumentMeta['origin'], string> = {
  upload: 'attached',
  scan: 'scan or fax',
  hl7: 'HL7 interface',
  ccda: 'C-CDA',
  generated: 'made by Cairn',
};

/** The chart's documents: a list to filter by category, an in-app viewer, attach, correct and remove. */
export function DocumentsTab({ patientId }: { patientId: string }): ReactElement {
  const go = useNav((s) => s.go);
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [category, setCategory] = useState<DocumentCategory | null>(null);
  const [docs, setDocs] = useState<DocumentMeta[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'attach' } | { kind: 'edit' | 'remove'; doc: DocumentMeta } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(
    () =>
      void api['documents.list']({ patientId, ...(category && { category }) }).then((r) =>
        r.ok ? (setDocs(r.value), setError(null)) : setError(r.error.message),
      ),
    [patientId, category],
  );
  useEffect(load, [load]);
  const shown = docs?.find((d) => d.id === selected) ?? null;
  const done = (message: string, keep: string | null): void => {
    setDialog(null);
    setNotice(message);
    setSelected(keep);
    load();
  };

  return (
    <Stack data-testid="documents-tab">
      <Group justify="space-between" align="end">
        <Title order={2} size="h3">
          Documents
        </Title>
        <Group align="end">
          <Select
            label="Category"
            placeholder="All categories"
            data={CATEGORY_OPTIONS}
            value={category}
            onChange={(v) => setCategory(v ?? null)}
            clearable
            w={220}
            data-testid="documents-filter"
          />
          <Button onClick={() => setDialog({ kind: 'attach' })} data-testid="attach-document">
            Attach document
          </Button>
          {mayShow(role, 'documents-inbox') && (
            <Anchor component="button" type="button" onClick={() => go({ name: 'documents-inbox' })} data-testid="documents-inbox-link">
              Unfiled inbox
            </Anchor>
          )}
        </Group>
      </Group>
      {notice && (
        <Alert color="green" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)} data-testid="documents-notice">
          {notice}
        </Alert>
      )}
      {error && <Alert color="red">{error}</Alert>}
      {!docs ? (
        <Loader size="sm" aria-label="Loading the documents" />
      ) : docs.length === 0 ? (
        <Text c="dimmed" data-testid="documents-empty">
          {category ? `No ${DOCUMENT_CATEGORY_LABELS[category].toLowerCase()} documents in this chart.` : 'No documents in this chart yet.'}
        </Text>
      ) : (
        <Grid>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Table data-testid="documents-list" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Title</Table.Th>
                  <Table.Th>Category</Table.Th>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Source</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {docs.map((d) => (
                  <Table.Tr
                    key={d.id}
                    data-testid="document-row"
                    data-document-id={d.id}
                    bg={d.id === selected ? 'var(--mantine-color-blue-light)' : undefined}
                  >
                    <Table.Td>
                      <Anchor
                        component="button"
                        type="button"
                        ta="left"
                        onClick={() => setSelected(d.id)}
                        aria-current={d.id === selected ? 'true' : undefined}
                      >
                        {d.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{d.category ? DOCUMENT_CATEGORY_LABELS[d.category] : '—'}</Table.Td>
                    <Table.Td>{day(d.documentDate)}</Table.Td>
                    <Table.Td>
                      {d.source ?? '—'}
                      <Text size="xs" c="dimmed">
                        {ORIGIN_LABELS[d.origin]}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatBytes(d.sizeBytes)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" variant="subtle" aria-label={`Edit ${d.title}`} onClick={() => setDialog({ kind: 'edit', doc: d })}>
                          Edit
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${d.title}`}
                          onClick={() => setDialog({ kind: 'remove', doc: d })}
                        >
                          Remove
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            {shown ? <DocumentViewer key={shown.id} doc={shown} /> : <Text c="dimmed">Choose a document to see it here.</Text>}
          </Grid.Col>
        </Grid>
      )}
      {dialog?.kind === 'attach' && (
        <AttachDialog patientId={patientId} onClose={() => setDialog(null)} onAttached={(d) => done(`${d.title} is in the chart.`, d.id)} />
      )}
      {dialog?.kind === 'edit' && <EditDocumentDialog doc={dialog.doc} onClose={() => setDialog(null)} onSaved={() => done('Saved.', dialog.doc.id)} />}
      {dialog?.kind === 'remove' && (
        <RemoveDocumentDialog
          doc={dialog.doc}
          onClose={() => setDialog(null)}
          onRemoved={() => done(`${dialog.doc.title} was removed from the chart.`, null)}
        />
      )}
    </Stack>
  );
}
