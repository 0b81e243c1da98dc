import { Alert, Autocomplete, Badge, Button, Group, Select, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Allergy } from '../../../../shared/domain/clinical';
import { ALLERGY_CRITICALITIES, ALLERGY_SEVERITIES, SUBSTANCE_TYPES } from '../../../../shared/domain/clinical';
import { api } from '../../lib/api';
import { useFreshSearch } from '../../lib/use-fresh-search';
import type { AllergenHit } from '../../../../shared/domain/drugs-allergens';
import type { MedAlert } from '../../../../shared/domain/drugs';
import { AlertList } from '../meds';

const KIND_LABEL: Record<AllergenHit['kind'], string> = { class: 'drug class', ingredient: 'ingredient', allergen: '' };

const searchSubstances = async (query: string): Promise<AllergenHit[] | null> => {
  const r = await api['allergies.searchSubstances']({ query });
  return r.ok ? r.value : null;
};

/** Allergies and intolerances; "No known allergies" is recorded on purpose, not assumed. */
export function AllergiesPanel({ patientId, onChanged }: { patientId: string; onChanged?: () => void }): ReactElement {
  const [list, setList] = useState<Allergy[]>([]);
  const [substance, setSubstance] = useState('');
  const [type, setType] = useState<string>('drug');
  const [reactions, setReactions] = useState<string[]>([]);
  const [severity, setSeverity] = useState<string | null>(null);
  const [criticality, setCriticality] = useState<string>('unable_to_assess');
  const [onsetDate, setOnsetDate] = useState('');
  // The allergen chosen from the list (class, ingredient or allergen); null while the text is free.
  const [picked, setPicked] = useState<AllergenHit | null>(null);
  const substanceCode = picked && picked.name === substance ? picked.code : null;
  const [alerts, setAlerts] = useState<MedAlert[]>([]);
  const { results: hits } = useFreshSearch(substanceCode ? '' : substance, searchSubstances, { minLength: 2 });
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => void api['allergies.list']({ patientId }).then((r) => r.ok && setList(r.value)), [patientId]);
  useEffect(load, [load]);
  const done = (r: { ok: boolean; error?: { message: string }; value?: unknown }): void => {
    if (!r.ok) return setError(r.error?.message ?? 'not saved');
    setError(null);
    setAlerts((r.value as { alerts?: MedAlert[] } | undefined)?.alerts ?? []);
    // Important: each allergy starts blank; the last one's type, severity or criticality never carries over.
    setSubstance('');
    setPicked(null);
    setType('drug');
    setReactions([]);
    setSeverity(null);
    setCriticality('unable_to_assess');
    setOnsetDate('');
    load();
    onChanged?.();
  };
  const active = list.filter((a) => a.status === 'active');
  return (
    <Stack>
      <Title order={4}>Allergies and intolerances</Title>
      <Table data-testid="allergy-list">
        <Table.Tbody>
          {list.map((a) => (
            // Inactive entries in a quieter grey that still reads (half opacity failed WCAG contrast, 3.9:1).
            <Table.Tr key={a.id} style={{ color: a.status === 'active' ? undefined : 'var(--mantine-color-gray-7)' }}>
              <Table.Td fw={600}>{a.kind === 'nka' ? 'No known allergies' : a.substance}</Table.Td>
              <Table.Td>
                {a.kind === 'allergy' &&
                  (a.substanceCode ? (
                    <Badge size="xs" variant="light">
                      {a.substanceType}
                    </Badge>
                  ) : (
                    <Badge size="xs" color="yellow">
                      uncoded: no drug checks
                    </Badge>
                  ))}
              </Table.Td>
              <Table.Td>{a.reactions.join(', ')}</Table.Td>
              <Table.Td>{a.severity ?? ''}</Table.Td>
              <Table.Td>{a.criticality === 'high' && <Badge color="red">high criticality</Badge>}</Table.Td>
              <Table.Td>{a.status}</Table.Td>
              <Table.Td>
                {a.status === 'active' && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => void api['allergies.changeStatus']({ id: a.id, expectedVersion: a.version, status: 'inactive' }).then(done)}
                  >
                    Inactivate
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
          {list.length === 0 && (
            <Table.Tr>
              <Table.Td>
                <Text c="orange">Allergies not yet reviewed.</Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {!active.some((a) => a.kind === 'allergy') && !active.some((a) => a.kind === 'nka') && (
        <Button variant="light" w={260} onClick={() => void api['allergies.add']({ kind: 'nka', patientId }).then(done)}>
          Record “No known allergies”
        </Button>
      )}
      <Group align="flex-end">
        <Autocomplete
          label="Substance"
          placeholder="Drug class, ingredient, food…"
          value={substance}
          onChange={setSubstance}
          data-testid="allergy-substance"
          w={260}
          data={hits.map((h) => ({ value: h.code, label: h.name }))}
          filter={({ options }) => options}
          onOptionSubmit={(code) => {
            const hit = hits.find((h) => h.code === code);
            if (!hit) return;
            setPicked(hit);
            setType(hit.type);
          }}
          renderOption={({ option }) => {
            const hit = hits.find((h) => h.code === option.value);
            return (
              <Group gap={6} wrap="nowrap">
                <Text size="sm">{hit?.name ?? option.value}</Text>
                {hit && KIND_LABEL[hit.kind] && (
                  <Text size="xs" c="dimmed">
                    {KIND_LABEL[hit.kind]}
                  </Text>
                )}
              </Group>
            );
          }}
          description={
            substanceCode
              ? `from the list (${picked?.kind === 'ingredient' ? `RxNorm ${substanceCode}` : KIND_LABEL[picked?.kind ?? 'allergen'] || picked?.type})`
              : type === 'drug'
                ? 'choose from the list to enable drug checks'
                : undefined
          }
        />
        <Select
          label="Type"
          data={SUBSTANCE_TYPES.map((s) => s)}
          value={type}
          onChange={(v) => setType(v ?? 'drug')}
          allowDeselect={false}
          w={130}
          data-testid="allergy-type"
        />
        <TagsInput label="Reactions" placeholder="type and press Enter" value={reactions} onChange={setReactions} w={240} data-testid="allergy-reactions" />
        <Select
          label="Severity"
          data={ALLERGY_SEVERITIES.map((s) => s)}
          value={severity}
          onChange={setSeverity}
          w={120}
          clearable
          data-testid="allergy-severity"
        />
        <Select
          label="Criticality"
          data={ALLERGY_CRITICALITIES.map((c) => ({ value: c, label: c.replace(/_/g, ' ') }))}
          value={criticality}
          onChange={(v) => setCriticality(v ?? 'unable_to_assess')}
          allowDeselect={false}
          w={160}
          data-testid="allergy-criticality"
        />
        <TextInput label="Onset" placeholder="YYYY-MM-DD" value={onsetDate} onChange={(e) => setOnsetDate(e.currentTarget.value)} w={120} />
        <Button
          disabled={!substance.trim()}
          onClick={() =>
            void api['allergies.add']({
              kind: 'allergy',
              patientId,
              substance,
              substanceType: type as (typeof SUBSTANCE_TYPES)[number],
              ...(substanceCode && { substanceCode }),
              reactions,
              ...(severity && { severity: severity as (typeof ALLERGY_SEVERITIES)[number] }),
              criticality: criticality as (typeof ALLERGY_CRITICALITIES)[number],
              ...(onsetDate && { onsetDate }),
            }).then(done)
          }
        >
          Add allergy
        </Button>
      </Group>
      {alerts.length > 0 && <AlertList alerts={alerts} uncoded={[]} />}
      {error && <Alert color="red">{error}</Alert>}
    </Stack>
  );
}
