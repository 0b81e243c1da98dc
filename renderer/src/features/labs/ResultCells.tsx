import { Badge, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { LabResultView } from '../../../../shared/domain/lab-review';
import { FlagBadge } from './FlagBadge';
import { withUnit } from '../../../../shared/domain/display-units';
import { range, when } from './values';

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

/** What a corrected or updated result replaces: whoever acted on the earlier value sees what changed. */
function Previous({ r }: { r: LabResultView }): ReactElement | null {
  const p = r.previous;
  if (!p) return null;
  const value = [withUnit(p.value, p.unit), p.flag && p.flag !== 'N' ? p.flag : null].filter(Boolean).join(' ');
  return (
    <Text size="xs" c="dimmed" data-testid="result-previous">
      {`Was ${value} (${p.status}, received ${when(p.receivedAt)})`}
    </Text>
  );
}

/** Test, result, flag and reference range of one result: the same four cells in the inbox and the chart. */
export function ResultCells({ r }: { r: LabResultView }): ReactElement {
  // A corrected value, or a later report of the same test (a final replacing a preliminary).
  const correction = r.status === 'corrected' || r.status === 'amended';
  return (
    <>
      <Table.Td>
        {r.display}
        {r.corrected && (
          <Badge ml="xs" size="xs" variant="outline" color={correction ? 'orange' : 'gray'} data-testid="result-version">
            {correction ? 'corrected' : 'updated'}
          </Badge>
        )}
        <LabNotes notes={r.orderNotes} label="Order note" testId="order-note" />
      </Table.Td>
      <Table.Td>
        <Text span inherit fw={r.severity === 'normal' ? undefined : 700} c={r.severity === 'critical' ? 'red.8' : undefined}>
          {withUnit(r.value, r.unit)}
        </Text>
        <Previous r={r} />
        <LabNotes notes={r.notes} label="Lab note" testId="result-note" />
      </Table.Td>
      <Table.Td>
        <FlagBadge flag={r.flag} severity={r.severity} />
      </Table.Td>
      <Table.Td>{range(r)}</Table.Td>
    </>
  );
}
