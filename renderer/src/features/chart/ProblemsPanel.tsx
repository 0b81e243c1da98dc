import { Alert, Badge, Button, Checkbox, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Icd10Code, Problem } from '../../../../shared/domain/clinical';
import { api } from '../../lib/api';
import { useFreshSearch } from '../../lib/use-fresh-search';
import { ClickableRow } from '../../components';
import { ConfidentialMark, useConfidentialMarks } from '../portal';

const searchCodes = async (query: string): Promise<Icd10Code[] | null> => {
  const r = await api['problems.searchCodes']({ query, limit: 15 });
  return r.ok ? r.value : null;
};

/** The problem list: find an ICD-10-CM code by words or code, add it, resolve it. */
export function ProblemsPanel({ patientId }: { patientId: string }): ReactElement {
  const [problems, setProblems] = useState<Problem[]>([]);
  const [query, setQuery] = useState('');
  const [chronic, setChronic] = useState(false);
  const [onsetDate, setOnsetDate] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => void api['problems.list']({ patientId }).then((r) => r.ok && setProblems(r.value)), [patientId]);
  const marks = useConfidentialMarks(patientId);
  useEffect(load, [load]);
  // Only codes that answer the words now typed: a click never adds a code found for earlier text.
  const { results: shown } = useFreshSearch(query, searchCodes, { minLength: 2 });

  const add = async (code: string): Promise<void> => {
    const r = await api['problems.add']({ patientId, icd10: code, chronic, ...(onsetDate && { onsetDate }), ...(note && { note }) });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setQuery('');
    setOnsetDate('');
    setNote('');
    load();
  };

  return (
    <Stack>
      <Title order={4}>Problems</Title>
      <Table data-testid="problem-list">
        <Table.Tbody>
          {problems.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td w={90}>
                <b>{p.icd10}</b>
              </Table.Td>
              <Table.Td>
                {p.display}{' '}
                {p.chronic && (
                  <Badge size="xs" variant="light">
                    chronic
                  </Badge>
                )}
                {(p.onsetDate || p.note) && (
                  <Text size="xs" c="dimmed">
                    {p.onsetDate ? `since ${p.onsetDate}` : ''} {p.note ?? ''}
                  </Text>
                )}
                {marks && <ConfidentialMark patientId={patientId} recordType="condition" recordId={p.id} itemLabel={p.display} />}
              </Table.Td>
              <Table.Td w={140}>
                <Badge color={p.status === 'active' ? 'blue' : 'gray'}>{p.status}</Badge>
              </Table.Td>
              <Table.Td w={200}>
                <Select
                  size="xs"
                  aria-label="Change status"
                  value={p.status}
                  data={['active', 'inactive', 'resolved']}
                  allowDeselect={false}
                  onChange={(s) => s && void api['problems.update']({ id: p.id, expectedVersion: p.version, status: s }).then(load)}
                />
              </Table.Td>
            </Table.Tr>
          ))}
          {problems.length === 0 && (
            <Table.Tr>
              <Table.Td>
                <Text c="dimmed">No problems recorded.</Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Group align="flex-end">
        <TextInput
          label="Add a problem"
          placeholder='Words or code, e.g. "diab typ 2" or "E11.9"'
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          style={{ flex: 1 }}
          data-testid="problem-search"
        />
        <TextInput label="Onset" placeholder="YYYY-MM-DD" value={onsetDate} onChange={(e) => setOnsetDate(e.currentTarget.value)} w={130} />
        <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} w={220} />
        <Checkbox label="Chronic" checked={chronic} onChange={(e) => setChronic(e.currentTarget.checked)} mb={8} />
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {shown.length > 0 && (
        <Table highlightOnHover data-testid="code-results">
          <Table.Tbody>
            {shown.map((c) => (
              <ClickableRow
                key={c.code}
                style={c.billable ? undefined : { color: 'var(--mantine-color-dimmed)' }}
                onActivate={c.billable ? () => void add(c.code) : undefined}
              >
                <Table.Td w={90}>
                  <b>{c.code}</b>
                </Table.Td>
                <Table.Td>{c.description}</Table.Td>
                <Table.Td w={120}>
                  {c.billable ? (
                    <Button size="compact-xs" variant="light">
                      Add
                    </Button>
                  ) : (
                    <Text size="xs" c="dimmed">
                      category
                    </Text>
                  )}
                </Table.Td>
              </ClickableRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
