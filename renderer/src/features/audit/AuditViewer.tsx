import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { api } from '../../lib/api';
import { ScreenTitle } from '../../components';

type Result = Out<'audit.search'>;
type Filter = { patientId: string; userId: string; action: string; from: string; to: string };

/** What a search asked for, in words: "where action starts with "chart.", from 2026-12-01". */
function described(f: Partial<Filter>): string {
  const parts = [
    f.patientId && `patient ${f.patientId}`,
    f.userId && `user ${f.userId}`,
    f.action && `action starts with "${f.action}"`,
    f.from && `from ${f.from}`,
    f.to && `to ${f.to}`,
  ].filter(Boolean);
  return parts.length > 0 ? ` where ${parts.join(', ')}` : '';
}

/** For administrators: who looked at or changed what, filtered by patient, user, action and dates. */
export function AuditViewer(): ReactElement {
  const [filter, setFilter] = useState<Filter>({ patientId: '', userId: '', action: '', from: '', to: '' });
  // The entries shown and the search they answer: never the rows of an earlier search under a later one's filter.
  const [result, setResult] = useState<{ answer: Result; asked: Partial<Filter> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const search = useCallback(() => {
    const mine = ++seq.current; // a later search voids this one's answer, should it come back last
    const input: Partial<Filter> = Object.fromEntries(Object.entries(filter).filter(([, v]) => v.trim() !== ''));
    void api['audit.search'](input).then((r) => {
      if (mine !== seq.current) return;
      if (r.ok) {
        setResult({ answer: r.value, asked: input });
        setError(null);
      } else setError(r.error.message);
    });
  }, [filter]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- load once; later searches run on the button
  useEffect(search, []);
  const searchAgain = (): void => {
    // No rows of the earlier search while this one is on its way.
    setResult(null);
    setError(null);
    search();
  };
  const set =
    (k: keyof typeof filter) =>
    (e: { currentTarget: { value: string } }): void =>
      setFilter({ ...filter, [k]: e.currentTarget.value });
  return (
    <Stack>
      <Group justify="space-between">
        <ScreenTitle title="Audit log" />
        {result &&
          (result.answer.chainIntact ? <Badge color="teal">Hash chain intact</Badge> : <Badge color="red">Hash chain broken: run cairn audit verify</Badge>)}
      </Group>
      <Group align="flex-end">
        <TextInput label="Patient id" value={filter.patientId} onChange={set('patientId')} w={300} />
        <TextInput label="User id" value={filter.userId} onChange={set('userId')} w={300} />
        <TextInput label="Action starts with" placeholder="e.g. chart., note." value={filter.action} onChange={set('action')} data-testid="audit-action" />
        <TextInput label="From" placeholder="YYYY-MM-DD" value={filter.from} onChange={set('from')} w={120} />
        <TextInput label="To" placeholder="YYYY-MM-DD" value={filter.to} onChange={set('to')} w={120} />
        <Button onClick={searchAgain} data-testid="audit-search">
          Search
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      <Text size="sm" c="dimmed" data-testid="audit-summary">
        {result ? `${result.answer.entries.length} entries${described(result.asked)} (newest first)` : error ? '' : 'Searching…'}
      </Text>
      <Table striped data-testid="audit-entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Record</Table.Th>
            <Table.Th>Detail</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result?.answer.entries.map((e) => (
            <Table.Tr key={e.seq}>
              <Table.Td>{e.seq}</Table.Td>
              <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
              <Table.Td>{e.user ?? e.userId ?? ''}</Table.Td>
              <Table.Td>
                <Badge variant="light">{e.action}</Badge>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{e.patientId ?? ''}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{e.recordType ?? ''}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" lineClamp={2}>
                  {e.detail ?? ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
