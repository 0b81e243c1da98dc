import { Alert, Badge, Button, Group, Select, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Allergy } from '../../../../shared/domain/clinical';
import { ALLERGY_CRITICALITIES, ALLERGY_SEVERITIES, SUBSTANCE_TYPES } from '../../../../shared/domain/clinical';
import { api } from '../../lib/api';
import type { Out } from '../../../../shared/api/contract';
import type { MedAlert } from '../../../../shared/domain/drugs';
import { AlertList } from '../meds';

/** Allergies and intolerances; "No known allergies" is recorded on purpose, not assumed. */
export function AllergiesPanel({ patientId, onChanged }: { patientId: string; onChanged?: () => void }): ReactElement {
  const [list, setList] = useState<Allergy[]>([]);
  const [substance, setSubstance] = useState('');
  const [type, setType] = useState<string>('drug');
  const [reactions, setReactions] = useState<string[]>([]);
  const [severity, setSeverity] = useState<string | null>(null);
  const [criticality, setCriticality] = useState<string>('unable_to_assess');
  const [onsetDate, setOnsetDate] = useState('');
  const [drugHits, setDrugHits] = useState<Out<'meds.searchDrugs'>>([]);
  const [substanceCode, setSubstanceCode] = useState<string | null>(null);
  const [alerts, setAlerts] = useState<MedAlert[]>([]);
  useEffect(() => {
    if (type === 'drug' && substance.trim().length >= 2 && !substanceCode) void api['meds.searchDrugs']({ query: substance, limit: 8 }).then((r) => r.ok && setDrugHits(r.value));
  }, [type, substance, substanceCode]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => void api['allergies.list']({ patientId }).then((r) => r.ok && setList(r.value)), [patientId]);
  useEffect(load, [load]);
  const done = (r: { ok: boolean; error?: { message: string }; value?: unknown }): void => {
    if (!r.ok) return setError(r.error?.message ?? 'not saved');
    setError(null);
    setAlerts((r.value as { alerts?: MedAlert[] } | undefined)?.alerts ?? []);
    setSubstance('');
    setSubstanceCode(null);
    setDrugHits([]);
    setReactions([]);
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
            <Table.Tr key={a.id} style={{ opacity: a.status === 'active' ? 1 : 0.5 }}>
              <Table.Td fw={600}>{a.kind === 'nka' ? 'No known allergies' : a.substance}</Table.Td>
              <Table.Td>{a.kind === 'allergy' && (a.substanceCode ? <Badge size="xs" variant="light">{a.substanceType}</Badge> : <Badge size="xs" color="yellow">uncoded: no drug checks</Badge>)}</Table.Td>
              <Table.Td>{a.reactions.join(', ')}</Table.Td>
              <Table.Td>{a.severity ?? ''}</Table.Td>
              <Table.Td>{a.criticality === 'high' && <Badge color="red">high criticality</Badge>}</Table.Td>
              <Table.Td>{a.status}</Table.Td>
              <Table.Td>{a.status === 'active' && <Button size="compact-xs" variant="subtle" onClick={() => void api['allergies.changeStatus']({ id: a.id, expectedVersion: a.version, status: 'inactive' }).then(done)}>Inactivate</Button>}</Table.Td>
            </Table.Tr>
          ))}
          {list.length === 0 && <Table.Tr><Table.Td><Text c="orange">Allergies not yet reviewed.</Text></Table.Td></Table.Tr>}
        </Table.Tbody>
      </Table>
      {!active.some((a) => a.kind === 'allergy') && !active.some((a) => a.kind === 'nka') && (
        <Button variant="light" w={260} onClick={() => void api['allergies.add']({ kind: 'nka', patientId }).then(done)}>Record “No known allergies”</Button>
      )}
      <Group align="flex-end">
        <TextInput label="Substance" value={substance} onChange={(e) => { setSubstance(e.currentTarget.value); setSubstanceCode(null); }} data-testid="allergy-substance"
          description={type === 'drug' ? (substanceCode ? `from the drug list (RxNorm ${substanceCode})` : 'pick from the list below to enable checks') : undefined} />
        <Select label="Type" data={SUBSTANCE_TYPES.map((s) => s)} value={type} onChange={(v) => setType(v ?? 'drug')} allowDeselect={false} w={130} />
        <TagsInput label="Reactions" placeholder="type and press Enter" value={reactions} onChange={setReactions} w={240} data-testid="allergy-reactions" />
        <Select label="Severity" data={ALLERGY_SEVERITIES.map((s) => s)} value={severity} onChange={setSeverity} w={120} clearable />
        <Select label="Criticality" data={ALLERGY_CRITICALITIES.map((c) => ({ value: c, label: c.replace(/_/g, ' ') }))} value={criticality} onChange={(v) => setCriticality(v ?? 'unable_to_assess')} allowDeselect={false} w={160} />
        <TextInput label="Onset" placeholder="YYYY-MM-DD" value={onsetDate} onChange={(e) => setOnsetDate(e.currentTarget.value)} w={120} />
        <Button disabled={!substance.trim()} onClick={() =>
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
        }>Add allergy</Button>
      </Group>
      {type === 'drug' && !substanceCode && drugHits.length > 0 && (
        <Group gap="xs">
          {drugHits.map((d) => (
            <Button key={d.rxcui} size="compact-xs" variant="default" onClick={() => { setSubstance(d.name); setSubstanceCode(d.rxcui); setDrugHits([]); }}>{d.name}</Button>
          ))}
        </Group>
      )}
      {alerts.length > 0 && <AlertList alerts={alerts} uncoded={[]} />}
      {error && <Alert color="red">{error}</Alert>}
    </Stack>
  );
}
