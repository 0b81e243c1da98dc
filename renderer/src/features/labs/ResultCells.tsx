import { Badge, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { LabResultView } from '../../../../shared/domain/lab-review';
import { FlagBadge } from './FlagBadge';
import { range } from './values';

/** The lab's comments, shown with the value they qualify ("specimen hemolyzed" beside a potassium). */
function LabNotes({ notes, label, testId }: { notes: string[]; label: string; testId: string }): ReactElement | null {
  if (notes.length === 0) return null;
  return (
    <>
      {notes.map((n, i) => (
        <Text key={i} size="xs" c="orange.9" fw={500} data-testid={testId}>
          {label}: {n}
        </Text>
      ))}
    </>
  );
}

/** Test, result, flag and reference range of one result: the same four cells in the inbox and the chart. */
export function ResultCells({ r }: { r: LabResultView }): ReactElement {
  return (
    <>
      <Table.Td>
        {r.display}
        {r.corrected && <Badge ml="xs" size="xs" variant="outline">corrected</Badge>}
        <LabNotes notes={r.orderNotes} label="Order note" testId="order-note" />
      </Table.Td>
      <Table.Td>
        <Text span inherit fw={r.severity === 'normal' ? undefined : 700} c={r.severity === 'critical' ? 'red.8' : undefined}>
          {r.value} {r.unit ?? ''}
        </Text>
        <LabNotes notes={r.notes} label="Lab note" testId="result-note" />
      </Table.Td>
      <Table.Td><FlagBadge flag={r.flag} severity={r.severity} /></Table.Td>
      <Table.Td>{range(r)}</Table.Td>
    </>
  );
}
