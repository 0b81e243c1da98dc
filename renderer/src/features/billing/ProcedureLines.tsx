import { ActionIcon, Button, Group, MultiSelect, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useRef, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';
import { useFreshSearch } from '../../lib/use-fresh-search';
import type { LineItem } from './superbill-form';

type Code = Out<'billing.codes'>[number];
const searchCodes = async (q: string): Promise<Code[] | null> => {
  const r = await api['billing.codes']({ q });
  return r.ok ? r.value : null;
};

/** One procedure line: modifiers, units, the diagnoses it points at, and a price only when the fee schedule's is wrong. */
function LineRow({
  l,
  n,
  dxCount,
  errors,
  onChange,
  onRemove,
}: {
  l: LineItem;
  n: number;
  dxCount: number;
  errors: Record<string, string>;
  onChange: (l: LineItem) => void;
  onRemove: () => void;
}): ReactElement {
  const at = (f: string): string | undefined => errors[`lines.${n}.${f}`];
  return (
    <Table.Tr data-testid="superbill-line">
      <Table.Td>
        <b>{l.code}</b>
        <Text size="xs">{l.description}</Text>
      </Table.Td>
      <Table.Td>{l.feeCents === null ? '—' : formatCents(l.feeCents)}</Table.Td>
      <Table.Td>
        <TextInput
          size="xs"
          aria-label={`Line ${n + 1} modifiers`}
          placeholder="25, 59"
          value={l.modifiers}
          error={at('modifiers')}
          onChange={(e) => onChange({ ...l, modifiers: e.currentTarget.value })}
          w={100}
        />
      </Table.Td>
      <Table.Td>
        <NumberInput
          size="xs"
          aria-label={`Line ${n + 1} units`}
          min={1}
          max={999}
          value={l.units}
          error={at('units')}
          onChange={(v) => onChange({ ...l, units: Number(v) || 1 })}
          w={80}
        />
      </Table.Td>
      <Table.Td>
        <MultiSelect
          size="xs"
          aria-label={`Line ${n + 1} diagnosis pointers`}
          data={Array.from({ length: dxCount }, (_, i) => String(i + 1))}
          value={l.pointers.map(String)}
          maxValues={4}
          error={at('pointers')}
          onChange={(v) => onChange({ ...l, pointers: v.map(Number).sort((a, b) => a - b) })}
          w={140}
        />
      </Table.Td>
      <Table.Td>
        <TextInput
          size="xs"
          aria-label={`Line ${n + 1} charge override`}
          placeholder="fee schedule"
          value={l.charge}
          error={at('chargeCents')}
          onChange={(e) => onChange({ ...l, charge: e.currentTarget.value })}
          w={110}
        />
      </Table.Td>
      <Table.Td>
        <ActionIcon variant="subtle" color="red" aria-label={`Remove line ${n + 1} (${l.code})`} onClick={onRemove}>
          ×
        </ActionIcon>
      </Table.Td>
    </Table.Tr>
  );
}

/** The superbill's procedure lines, found by code or words in the clinic's own code file, each priced by the fee schedule. */
export function ProcedureLines({
  value,
  dxCount,
  errors,
  onChange,
}: {
  value: LineItem[];
  dxCount: number;
  errors: Record<string, string>;
  onChange: (v: LineItem[]) => void;
}): ReactElement {
  const [query, setQuery] = useState('');
  const next = useRef(1);
  const { results, pending } = useFreshSearch(query, searchCodes, { minLength: 1 });
  const add = (c: Code): void => {
    onChange([
      ...value,
      { key: next.current++, code: c.code, description: c.description, feeCents: c.feeCents, modifiers: '', units: 1, pointers: [1], charge: '' },
    ]);
    setQuery('');
  };
  return (
    <Stack gap={4}>
      {value.length > 0 && (
        <Table data-testid="superbill-lines" aria-label="Procedure lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Procedure</Table.Th>
              <Table.Th>Fee</Table.Th>
              <Table.Th>Modifiers</Table.Th>
              <Table.Th>Units</Table.Th>
              <Table.Th>Diagnosis pointers</Table.Th>
              <Table.Th>Charge</Table.Th>
              <Table.Th>Remove</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {value.map((l, i) => (
              <LineRow
                key={l.key}
                l={l}
                n={i}
                dxCount={dxCount}
                errors={errors}
                onChange={(x) => onChange(value.map((y) => (y.key === l.key ? x : y)))}
                onRemove={() => onChange(value.filter((y) => y.key !== l.key))}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <TextInput
        label="Add a procedure (CPT or HCPCS)"
        placeholder='Code or words, e.g. "99213" or "office visit"'
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        error={errors['lines']}
        data-testid="superbill-code-search"
      />
      {results.length > 0 && (
        <Stack gap={2} data-testid="superbill-code-results">
          {results.map((c) => (
            <Group key={c.code} gap="xs" wrap="nowrap">
              <Button size="compact-xs" variant="light" onClick={() => add(c)} aria-label={`Add ${c.code}`}>
                Add
              </Button>
              <Text size="sm">
                <b>{c.code}</b> {c.description} {c.feeCents !== null && `· ${formatCents(c.feeCents)}`}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
      {query.trim() && !pending && results.length === 0 && (
        <Text size="xs" c="dimmed">
          No code found yet. Codes come from the clinic’s own licensed CPT file (cairn codes import cpt).
        </Text>
      )}
    </Stack>
  );
}
