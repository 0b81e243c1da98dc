import { Alert, Anchor, Badge, Button, FileButton, Grid, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { DocumentMeta } from '../../../../shared/api/documents.contract';
import { DOCUMENT_MAX_BYTES, formatBytes, tooLargeMessage } from '../../../../shared/domain/records';
import { displayName } from '../../../../shared/domain/patient';
import { ScreenTitle } from '../../components';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { ACCEPT, titleOf } from './AttachDialog';
import { fileBase64 } from '../../lib/file-bytes';
import { DocumentViewer } from './DocumentViewer';
import { useDocuments } from './documents.store';
import { RemoveDocumentDialog } from './EditDialogs';
import { FileToChart } from './FileToChart';
import { WatchedFolder } from './WatchedFolder';

const received = (iso: string): string =>
  new Date(iso).toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * The unfiled scan/fax queue, oldest first: what the watched folder took in and what the desk added.
 * Staff look at each one, choose whose chart it belongs to and what it is, and file it.
 */
export function InboxScreen(): ReactElement {
  const go = useNav((s) => s.go);
  const refreshCount = useDocuments((s) => s.refreshInbox);
  const [docs, setDocs] = useState<DocumentMeta[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filed, setFiled] = useState<{ title: string; patientId: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<DocumentMeta | null>(null);
  const [adding, setAdding] = useState(false);

  const load = useCallback(() => {
    void api['documents.inbox']({}).then((r) => (r.ok ? setDocs(r.value) : setError(r.error.message)));
    void refreshCount();
  }, [refreshCount]);
  useEffect(load, [load]);
  // The navigation's poll saw the queue change (a fax came in, another desk filed one): the list
  // follows, once per change (each look at the queue is audited).
  const waiting = useDocuments((s) => s.unfiled);
  const newestAt = useDocuments((s) => s.newestAt);
  const seen = useRef<string | null>(null);
  useEffect(() => {
    const key = `${waiting}|${newestAt ?? ''}`;
    const before = seen.current;
    seen.current = key;
    if (before !== null && before !== key) void api['documents.inbox']({}).then((r) => r.ok && setDocs(r.value));
  }, [waiting, newestAt]);

  const add = async (file: File | null): Promise<void> => {
    if (!file) return;
    setFiled(null);
    if (file.size > DOCUMENT_MAX_BYTES) return setError(tooLargeMessage(file.size));
    setAdding(true);
    const r = await api['documents.inboxAdd']({ fileName: file.name, dataBase64: await fileBase64(file), title: titleOf(file.name) || file.name });
    setAdding(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setSelected(r.value.id);
    load();
  };

  const shown = docs?.find((d) => d.id === selected) ?? null;
  return (
    <Stack data-testid="documents-inbox">
      <Group justify="space-between">
        <ScreenTitle title="Document inbox" />
        <Group>
          {/* The watched folder fills the queue in the background: a look again on request. */}
          <Button variant="default" onClick={load} data-testid="inbox-refresh">
            Refresh the inbox
          </Button>
          <FileButton onChange={(f) => void add(f)} accept={ACCEPT}>
            {(props) => (
              <Button {...props} loading={adding} data-testid="inbox-add-file">
                Add a file
              </Button>
            )}
          </FileButton>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Scanned and faxed documents not yet filed to a chart, oldest first. Look at each one, then file it to the patient it belongs to.
      </Text>
      {error && (
        <Alert color="red" data-testid="inbox-error">
          {error}
        </Alert>
      )}
      {filed && (
        <Alert color="green" data-testid="inbox-filed" withCloseButton closeButtonLabel="Dismiss" onClose={() => setFiled(null)}>
          {filed.title} was filed to {filed.name}&apos;s chart.{' '}
          <Anchor component="button" type="button" onClick={() => go({ name: 'chart', patientId: filed.patientId, tab: 'documents' })}>
            Open the chart&apos;s documents
          </Anchor>
        </Alert>
      )}
      {!docs ? (
        <Loader size="sm" aria-label="Loading the inbox" />
      ) : (
        <Grid>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack gap="xs">
              <Group gap="xs">
                <Title order={2} size="h4">
                  Unfiled
                </Title>
                <Badge variant="light" color={docs.length > 0 ? 'orange' : 'gray'} data-testid="inbox-count">
                  {docs.length}
                </Badge>
              </Group>
              {docs.length === 0 ? (
                <Text c="dimmed" data-testid="inbox-empty">
                  Nothing waits to be filed.
                </Text>
              ) : (
                <Table data-testid="inbox-list" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Document</Table.Th>
                      <Table.Th>Received</Table.Th>
                      <Table.Th>From</Table.Th>
                      <Table.Th>Size</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {docs.map((d) => (
                      <Table.Tr
                        key={d.id}
                        data-testid="inbox-row"
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
                        <Table.Td>{received(d.createdAt)}</Table.Td>
                        <Table.Td>{d.source ?? (d.origin === 'scan' ? 'Scan folder' : 'Added at the desk')}</Table.Td>
                        <Table.Td>{formatBytes(d.sizeBytes)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            {shown ? (
              <Stack>
                <FileToChart
                  key={shown.id}
                  doc={shown}
                  onFiled={(d, p) => {
                    setFiled({ title: d.title, patientId: p.id, name: displayName(p) });
                    setSelected(null);
                    load();
                  }}
                />
                <Group justify="flex-end">
                  <Button variant="subtle" color="red" onClick={() => setRemoving(shown)} data-testid="inbox-remove">
                    Remove from the inbox
                  </Button>
                </Group>
                <DocumentViewer key={`view-${shown.id}`} doc={shown} headingLevel={3} />
              </Stack>
            ) : (
              <Text c="dimmed">Choose a document to preview and file it.</Text>
            )}
          </Grid.Col>
        </Grid>
      )}
      <WatchedFolder />
      {removing && (
        <RemoveDocumentDialog
          doc={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            setSelected(null);
            load();
          }}
        />
      )}
    </Stack>
  );
}
