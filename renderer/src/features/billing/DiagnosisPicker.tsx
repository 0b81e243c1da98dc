import { ActionIcon, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Icd10Code } from '../../../../shared/domain/clinical';
import { api } from '../../lib/api';
import { useFreshSearch } from '../../lib/use-fresh-search';
import type { DxItem } from './superbill-form';

const searchCodes = async (query: string): Promise<Icd10Code[] | null> => {
  const r = await api['problems.searchCodes']({ query, limit: 10 });
  return r.ok ? r.value : null;
};

const move = <T,>(list: T[], from: number, to: number): T[] => {
  const out = [...list];
  const [item] = out.splice(from, 1);
  if (item !== undefined) out.splice(to, 0, item);
  return out;
};

/** The claim's diagnoses, ranked (the principal first, at most 12), found by ICD-10-CM words or code as on the problem list. */
export function DiagnosisPicker({ value, onChange, error }: { value: DxItem[]; onChange: (v: DxItem[]) => void; error?: string }): ReactElement {
  const [query, setQuery] = useState('');
  const { results } = useFreshSearch(query, searchCodes, { minLength: 2 });
  const add = (c: Icd10Code): void => {
    if (!value.some((d) => d.code === c.code)) onChange([...value, { code: c.code, description: c.shortDescription }]);
    setQuery('');
  };
  return (
    <Stack gap={4}>
      <Table data-testid="superbill-diagnoses" aria-label="Diagnoses, ranked">
        <Table.Tbody>
          {value.map((d, i) => (
            <Table.Tr key={d.code} data-testid="superbill-dx">
              <Table.Td w={40}>{i + 1}.</Table.Td>
              <Table.Td w={90}>
                <b>{d.code}</b>
              </Table.Td>
              <Table.Td>{d.description}</Table.Td>
              <Table.Td w={120}>
                <Group gap={4} wrap="nowrap">
                  <ActionIcon variant="subtle" aria-label={`Move ${d.code} up`} disabled={i === 0} onClick={() => onChange(move(value, i, i - 1))}>
                    ↑
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    aria-label={`Move ${d.code} down`}
                    disabled={i === value.length - 1}
                    onClick={() => onChange(move(value, i, i + 1))}
                  >
                    ↓
                  </ActionIcon>
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove ${d.code}`} onClick={() => onChange(value.filter((x) => x.code !== d.code))}>
                    ×
                  </ActionIcon>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {value.length === 0 && <Text size="sm">No diagnosis yet: the principal diagnosis goes first.</Text>}
      <TextInput
        label="Add a diagnosis (ICD-10-CM)"
        placeholder='Words or code, e.g. "hypertension" or "I10"'
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        error={error}
        disabled={value.length >= 12}
        data-testid="superbill-dx-search"
      />
      {results.length > 0 && (
        <Stack gap={2} data-testid="superbill-dx-results">
          {results.map((c) => (
            <Group key={c.code} gap="xs" wrap="nowrap">
              <Button size="compact-xs" variant="light" disabled={!c.billable} onClick={() => add(c)} aria-label={`Add ${c.code} ${c.shortDescription}`}>
                {c.billable ? 'Add' : 'Category'}
              </Button>
              <Text size="sm">
                <b>{c.code}</b> {c.description}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
