import { Table } from '@mantine/core';
import type { ReactElement } from 'react';
import type { ClaimView } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';

/** A claim's service lines with what each was charged and paid. */
export function ClaimLines({ claim }: { claim: ClaimView }): ReactElement {
  return (
    <Table data-testid="claim-lines" aria-label={`Lines of claim ${claim.claimNumber}`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          <Table.Th>Code</Table.Th>
          <Table.Th>Modifiers</Table.Th>
          <Table.Th>Units</Table.Th>
          <Table.Th>Pointers</Table.Th>
          <Table.Th ta="right">Charge</Table.Th>
          <Table.Th ta="right">Paid</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {claim.lines.map((l) => (
          <Table.Tr key={l.id} data-testid="claim-line">
            <Table.Td>{l.lineNumber}</Table.Td>
            <Table.Td>
              <b>{l.code}</b> {l.description ?? ''}
            </Table.Td>
            <Table.Td>{l.modifiers.join(' ')}</Table.Td>
            <Table.Td>{l.units}</Table.Td>
            <Table.Td>{l.pointers.join(', ')}</Table.Td>
            <Table.Td ta="right" ff="monospace">
              {formatCents(l.chargeCents)}
            </Table.Td>
            <Table.Td ta="right" ff="monospace">
              {formatCents(l.paidCents)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
