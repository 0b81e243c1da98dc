import { Badge, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { LedgerEntry } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';
import { when } from './labels';

/** Why the entry is there, in one short phrase. */
function detail(e: LedgerEntry): string {
  return [e.claimNumber && `claim ${e.claimNumber}`, e.method, e.reference, e.adjustment, e.memo].filter(Boolean).join(' · ');
}

/** The reason a biller types before an entry is reversed; nothing is ever edited in place. */
function ReverseCell({ e, onReverse }: { e: LedgerEntry; onReverse: (id: string, reason: string) => void }): ReactElement {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open)
    return (
      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setOpen(true)} data-testid="ledger-reverse">
        Reverse
      </Button>
    );
  return (
    <Group gap={4} wrap="nowrap">
      <TextInput
        size="xs"
        aria-label="Reason for the reversal"
        placeholder="Reason"
        value={reason}
        onChange={(ev) => setReason(ev.currentTarget.value)}
        data-testid="ledger-reverse-reason"
      />
      <Button size="compact-xs" color="red" onClick={() => onReverse(e.id, reason)} data-testid="ledger-reverse-confirm">
        Reverse
      </Button>
    </Group>
  );
}

/** The append-only ledger in the order it was posted; a reversed entry stays, marked, and the reversal follows it. */
export function LedgerTable({ entries, onReverse }: { entries: LedgerEntry[]; onReverse?: (id: string, reason: string) => void }): ReactElement {
  if (entries.length === 0) return <Text c="dimmed">No entries yet.</Text>;
  return (
    <Table striped data-testid="ledger" aria-label="Ledger entries">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Posted</Table.Th>
          <Table.Th>Service date</Table.Th>
          <Table.Th>Entry</Table.Th>
          <Table.Th>Owed by</Table.Th>
          <Table.Th ta="right">Amount</Table.Th>
          <Table.Th>Detail</Table.Th>
          {onReverse && <Table.Th>Correct</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((e) => (
          <Table.Tr key={e.id} data-testid="ledger-row" data-kind={e.kind}>
            <Table.Td>{when(e.postedAt)}</Table.Td>
            <Table.Td>{e.serviceDate ?? ''}</Table.Td>
            <Table.Td>
              {e.kind}{' '}
              {e.reversed && (
                <Badge size="xs" color="gray" variant="light">
                  reversed
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{e.party}</Table.Td>
            <Table.Td ta="right" ff="monospace">
              {formatCents(e.amountCents)}
            </Table.Td>
            <Table.Td>{detail(e)}</Table.Td>
            {onReverse && <Table.Td>{!e.reversed && e.kind !== 'reversal' && <ReverseCell e={e} onReverse={onReverse} />}</Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
