import { Select } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { displayName, type SearchHit } from '../../../shared/domain/patient';
import { api } from '../lib/api';
import { useFreshSearch } from '../lib/use-fresh-search';

const search = async (query: string): Promise<SearchHit[] | null> => {
  const r = await api['patients.search']({ query, limit: 15 });
  return r.ok ? r.value : null;
};

export const hitLabel = (h: SearchHit): string =>
  `${displayName(h)}${h.restricted ? ' (restricted)' : ` · born ${h.birthDate} · MRN ${h.mrn}${h.deceasedOn ? ` · died ${h.deceasedOn}` : ''}`}`;

/**
 * The patient something is filed to or recorded for (a scanned document, a phoned-in hospital
 * notice), found by typing a name, MRN or birth date. Important: it starts empty every time and
 * offers only answers to the words now typed; nothing is ever attached to a guessed patient.
 */
export function PatientPicker({
  value,
  onChange,
  error,
  autoFocus = false,
}: {
  value: SearchHit | null;
  onChange: (h: SearchHit | null) => void;
  error?: string | undefined;
  /** Focused when its dialog opens (the dialog's first question). */
  autoFocus?: boolean;
}): ReactElement {
  const [query, setQuery] = useState('');
  const { results, pending } = useFreshSearch(query, search, { minLength: 2 });
  // The chosen patient stays an option while the box shows their name, so the choice does not vanish.
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
      data-testid="file-patient"
      {...(autoFocus && { 'data-autofocus': true })}
    />
  );
}
