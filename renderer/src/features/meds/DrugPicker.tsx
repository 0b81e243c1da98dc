import { Autocomplete } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { api } from '../../lib/api';
import { useFreshSearch } from '../../lib/use-fresh-search';

export type DrugHit = Out<'meds.searchDrugs'>[number];

/** What the picker shows for a drug: its name and the brands people say. */
/** The product as prescribed (an ingredient-coded entry shows its strength and form from `description`), with its brands. */
export const drugLabel = (d: DrugHit): string => `${d.description ?? d.name}${d.brands.length ? ` (${d.brands.join(', ')})` : ''}`;

const searchDrugs = async (query: string): Promise<DrugHit[] | null> => {
  const r = await api['meds.searchDrugs']({ query });
  return r.ok ? r.value : null;
};

/**
 * A drug chosen from the shipped list (click, or ↓ and Enter), or free text when nothing is chosen.
 * Options always answer the text now typed, never an earlier query; the chosen drug stays chosen
 * while the box shows its label, and any edit of that text unchooses it.
 */
export function DrugPicker({
  label,
  placeholder,
  value,
  onChange,
  onQueryChange,
  testId,
  w,
}: {
  label: string;
  placeholder: string;
  value: DrugHit | null;
  onChange: (drug: DrugHit | null) => void;
  /** The text typed (kept for a free-text, uncoded entry when nothing is chosen). */
  onQueryChange?: (query: string) => void;
  testId: string;
  w?: number;
}): ReactElement {
  const [query, setQuery] = useState(value ? drugLabel(value) : '');
  // The label of the option just picked: the box then reports it as typed text, which is not an edit.
  const [picked, setPicked] = useState<string | null>(value ? drugLabel(value) : null);
  const showsPick = picked !== null && query === picked;
  const { results } = useFreshSearch(showsPick ? '' : query, searchDrugs);
  const options = value && !results.some((d) => d.rxcui === value.rxcui) ? [value, ...results] : results;
  return (
    <Autocomplete
      label={label}
      placeholder={placeholder}
      value={query}
      onOptionSubmit={(rxcui) => {
        const drug = options.find((d) => d.rxcui === rxcui) ?? null;
        setPicked(drug ? drugLabel(drug) : null);
        onChange(drug);
      }}
      onChange={(q) => {
        setQuery(q);
        onQueryChange?.(q);
        setPicked((p) => (q === p ? p : null));
        if (value && q !== drugLabel(value)) onChange(null);
      }}
      filter={({ options: o }) => o}
      data={(showsPick ? [] : options).map((d) => ({ value: d.rxcui, label: drugLabel(d) }))}
      w={w}
      // First focus when the picker opens a dialog (Prescribe), instead of the dialog's close button.
      data-autofocus
      data-testid={testId}
    />
  );
}
