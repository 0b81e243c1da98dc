import { Button, CloseButton, Group, Pill, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Icd10Code } from '../../../../shared/domain/clinical';
import { api } from '../../lib/api';
import { useFreshSearch } from '../../lib/use-fresh-search';

/** A chosen ICD-10-CM diagnosis: its code and the words shown beside it. */
export interface Dx {
  code: string;
  description: string;
}

const searchCodes = async (query: string): Promise<Icd10Code[] | null> => {
  const r = await api['problems.searchCodes']({ query, limit: 8 });
  return r.ok ? r.value : null;
};

/**
 * The ICD-10-CM diagnoses of a referral or an imaging order (at most 12), found by words or code
 * as on the problem list. Only billable codes can be added: the backend refuses a category.
 */
export function DiagnosesInput({ value, onChange, error }: { value: Dx[]; onChange: (v: Dx[]) => void; error?: string | undefined }): ReactElement {
  const [query, setQuery] = useState('');
  const { results } = useFreshSearch(query, searchCodes, { minLength: 2 });
  const add = (c: Icd10Code): void => {
    if (!value.some((d) => d.code === c.code)) onChange([...value, { code: c.code, description: c.shortDescription }]);
    setQuery('');
  };
  return (
    <Stack gap={4}>
      <TextInput
        label="Diagnoses (ICD-10-CM)"
        placeholder='Words or code, e.g. "chest pain" or "R07.9"'
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        error={error}
        disabled={value.length >= 12}
        data-testid="dx-search"
      />
      {results.length > 0 && (
        <Stack gap={2} data-testid="dx-results">
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
      <Group gap={6} data-testid="dx-chosen" aria-label="Chosen diagnoses" role="list">
        {value.map((d) => (
          <Pill key={d.code} role="listitem" size="md">
            <Group gap={4} wrap="nowrap">
              <span>
                <b>{d.code}</b> {d.description}
              </span>
              <CloseButton size="xs" aria-label={`Remove ${d.code}`} onClick={() => onChange(value.filter((x) => x.code !== d.code))} />
            </Group>
          </Pill>
        ))}
      </Group>
      {value.length === 0 && (
        <Text size="xs" c="dimmed">
          No diagnosis chosen.
        </Text>
      )}
    </Stack>
  );
}
