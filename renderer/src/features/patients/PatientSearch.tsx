import { Alert, Badge, Group, Kbd, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { SearchHit } from '../../../../shared/domain/patient';
import { ageLabel, displayName } from '../../../../shared/domain/patient';
import { clinicToday } from '../../lib/clinic-day';
import { classifySearch } from '../../../../shared/domain/search';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { ScreenTitle } from '../../components';

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

  const today = clinicToday();
  const kind = classifySearch(text).kind;
  // An ARIA combobox: focus stays in the box, the arrow keys move through the results grid, and a
  // screen reader is told which row is active (aria-activedescendant).
  const listId = useId();
  const rowId = (i: number): string => `${listId}-row-${i}`;

  return (
    <Stack>
      <ScreenTitle title="Find a patient" />
      <TextInput
        size="lg"
        autoFocus
        placeholder="Name, MRN, birth date or phone"
        aria-label="Search patients"
        role="combobox"
        aria-autocomplete="list"
        aria-haspopup="grid"
        aria-expanded={results.length > 0}
        aria-controls={results.length > 0 ? listId : undefined}
        aria-activedescendant={results[active] ? rowId(active) : undefined}
        data-testid="patient-search"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKey}
      />
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          {HOW[kind]}
        </Text>
        <Text size="sm" c="dimmed">
          · <Kbd>↑</Kbd> <Kbd>↓</Kbd> to move, <Kbd>Enter</Kbd> to open
        </Text>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {kind !== 'empty' && debounced === text && results.length === 0 && !error && <Text>No patient matches “{text}”.</Text>}
      {results.length > 0 && (
        <Table highlightOnHover role="grid" id={listId} aria-label="Matching patients" data-testid="search-results">
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
                id={rowId(i)}
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
                    <Badge color="grape" variant="light" data-testid="restricted-hit">
                      Restricted
                    </Badge>
                  </Table.Td>
                ) : (
                  <>
                    <Table.Td>
                      {p.birthDate}{' '}
                      {p.deceasedOn ? (
                        <Badge variant="filled" color="dark" data-testid="deceased-hit">
                          {ageLabel(p, today)}
                        </Badge>
                      ) : (
                        <Badge variant="light" color="gray">
                          {ageLabel(p, today)}
                        </Badge>
                      )}
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
