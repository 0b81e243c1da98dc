import { Select } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { displayName, type SearchHit } from '../../../../shared/domain/patient';
import { api } from '../../lib/api';
import { useFreshSearch } from '../../lib/use-fresh-search';

const search = async (query: string): Promise<SearchHit[] | null> => {
  const r = await api['patients.search']({ query, limit: 15 });
  return r.ok ? r.value : null;
};

const hitLabel = (h: SearchHit): string => `${displayName(h)}${h.restricted ? ' (restricted)' : ` · born ${h.birthDate} · MRN ${h.mrn}`}`;

/** The patient a phoned or faxed notice is about, found by typing: it starts empty, never a guess. */
export function PatientPicker({
  value,
  onChange,
  error,
}: {
  value: SearchHit | null;
  onChange: (h: SearchHit | null) => void;
  error?: string | undefined;
}): ReactElement {
  const [query, setQuery] = useState('');
  const { results, pending } = useFreshSearch(query, search, { minLength: 2 });
  const options = value && !results.some((h) => h.id === value.id) ? [value, ...results] : results;
  return (
    <Select
      label="Patient"
      placeholder="Type a name, MRN or birth date"
      searchable
      searchValue={query}
      onSearchChange={setQuery}
      filter={({ options: o }) => o}
      data={options.map((h) => ({ value: h.id, label: hitLabel(h) }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(options.find((h) => h.id === id) ?? null)}
      nothingFoundMessage={query.trim().length < 2 ? 'Type at least 2 characters' : pending ? 'Searching…' : 'No patient found'}
      error={error}
      required
      data-autofocus
    />
  );
}
