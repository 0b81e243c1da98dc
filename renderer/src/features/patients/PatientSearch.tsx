import { Alert, Badge, Group, Kbd, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { SearchHit } from '../../../../shared/domain/patient';
import { displayName } from '../../../../shared/domain/patient';
import { formatAge, isoToday } from '../../../../shared/domain/dates';
import { classifySearch } from '../../../../shared/domain/search';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';

const HOW: Record<ReturnType<typeof classifySearch>['kind'], string> = {
  empty: 'Type a name, MRN, birth date (1980-03-04 or 03/04/1980) or phone number',
  birthDate: 'Searching by birth date',
  digits: 'Searching MRN and phone numbers',
  text: 'Searching names',
};

/** Keyboard-first search: type, arrow keys to move, Enter to open the chart. */
export function PatientSearch(): ReactElement {
  const go = useNav((s) => s.go);
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text, 120);
  const [found, setFound] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef('');
  // An emptied box shows no stale results.
  const results = classifySearch(debounced).kind === 'empty' ? [] : found;

  useEffect(() => {
    latest.current = debounced;
    if (classifySearch(debounced).kind === 'empty') return;
    void api['patients.search']({ query: debounced, limit: 25 }).then((r) => {
      if (latest.current !== debounced) return; // a newer query is on its way
      if (r.ok) {
        setFound(r.value);
        setActive(0);
        setError(null);
      } else setError(r.error.message);
    });
  }, [debounced]);

  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && results[active]) {
      e.preventDefault();
      go({ name: 'chart', patientId: results[active].id });
    }
  };

  const today = isoToday();
  const kind = classifySearch(text).kind;

  return (
    <Stack>
      <Title order={2}>Find a patient</Title>
      <TextInput
        size="lg"
        autoFocus
        placeholder="Name, MRN, birth date or phone"
        aria-label="Search patients"
        data-testid="patient-search"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKey}
      />
      <Group gap="xs">
        <Text size="sm" c="dimmed">{HOW[kind]}</Text>
        <Text size="sm" c="dimmed">
          · <Kbd>↑</Kbd> <Kbd>↓</Kbd> to move, <Kbd>Enter</Kbd> to open
        </Text>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {kind !== 'empty' && debounced === text && results.length === 0 && !error && <Text>No patient matches “{text}”.</Text>}
      {results.length > 0 && (
        <Table highlightOnHover data-testid="search-results">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Born</Table.Th>
              <Table.Th>Sex</Table.Th>
              <Table.Th>MRN</Table.Th>
              <Table.Th>Phone</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.map((p, i) => (
              <Table.Tr
                key={p.id}
                aria-selected={i === active}
                data-testid="search-result"
                bg={i === active ? 'var(--mantine-color-teal-light)' : undefined}
                style={{ cursor: 'pointer' }}
                onClick={() => go({ name: 'chart', patientId: p.id })}
              >
                <Table.Td fw={500}>{displayName(p)}</Table.Td>
                {p.restricted ? (
                  // A restricted chart shows its name only: opening it asks for break-glass.
                  <Table.Td colSpan={4}>
                    <Badge color="grape" variant="light" data-testid="restricted-hit">Restricted</Badge>
                  </Table.Td>
                ) : (
                  <>
                    <Table.Td>
                      {p.birthDate} <Badge variant="light" color="gray">{formatAge(p.birthDate, today)}</Badge>
                    </Table.Td>
                    <Table.Td>{p.sex}</Table.Td>
                    <Table.Td>{p.mrn}</Table.Td>
                    <Table.Td>{p.phone ?? ''}</Table.Td>
                  </>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
