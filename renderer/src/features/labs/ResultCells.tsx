import { Badge, Table } from '@mantine/core';
import type { ReactElement } from 'react';
import type { LabResultView } from '../../../../shared/domain/lab-review';
import { FlagBadge } from './FlagBadge';
import { range } from './values';

/** Test, result, flag and reference range of one result: the same four cells in the inbox and the chart. */
export function ResultCells({ r }: { r: LabResultView }): ReactElement {
  return (
    <>
      <Table.Td>{r.display}{r.corrected && <Badge ml="xs" size="xs" variant="outline">corrected</Badge>}</Table.Td>
      <Table.Td fw={r.severity === 'normal' ? undefined : 700} c={r.severity === 'critical' ? 'red.8' : undefined}>{r.value} {r.unit ?? ''}</Table.Td>
      <Table.Td><FlagBadge flag={r.flag} severity={r.severity} /></Table.Td>
      <Table.Td>{range(r)}</Table.Td>
    </>
  );
}
