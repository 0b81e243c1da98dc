import { Badge, Button, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { CcdaImportView } from '../../../../shared/api/ccda.contract';
import { CcdaDocumentViewer } from './CcdaDocumentViewer';

/** The C-CDA documents this chart received, newest first, each openable as its narrative. */
export function ReceivedDocuments({ imports }: { imports: CcdaImportView[] }): ReactElement | null {
  const [open, setOpen] = useState<CcdaImportView | null>(null);
  if (imports.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="ccda-imports">
      <Title order={3}>Received documents</Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Document</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>Dated</Table.Th>
            <Table.Th>Received</Table.Th>
            <Table.Th>Waiting</Table.Th>
            <Table.Th>Narrative</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {imports.map((i) => (
            <Table.Tr key={i.id} data-testid="ccda-import-row" data-import-id={i.id}>
              <Table.Td>
                <Text size="sm">{i.title}</Text>
                <Text size="xs" c="dimmed">
                  {i.docType}
                  {i.mode === 'migration' ? ' · migrated history' : ''}
                </Text>
              </Table.Td>
              <Table.Td>{i.sourceName}</Table.Td>
              <Table.Td>{i.effectiveTime?.slice(0, 10) ?? '—'}</Table.Td>
              <Table.Td>{new Date(i.importedAt).toLocaleDateString()}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={i.pending > 0 ? 'orange' : 'gray'}>
                  {i.pending}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="light" aria-label={`View document: ${i.title}`} onClick={() => setOpen(i)}>
                  View document
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open ? `${open.title} (${open.docType})` : ''} size="xl">
        {open && <CcdaDocumentViewer importId={open.id} />}
      </Modal>
    </Stack>
  );
}
