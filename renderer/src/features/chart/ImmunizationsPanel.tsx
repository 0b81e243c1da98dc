import { Alert, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import type { Immunization, Vaccine } from '../../../../shared/domain/clinical';
import { clinicToday } from '../../lib/clinic-day';
import { api } from '../../lib/api';

type Due = Out<'immunizations.due'>;
const STATUS_COLOR: Record<Due[number]['status'], string> = { overdue: 'red', due: 'orange', not_yet_due: 'gray', complete: 'teal', not_applicable: 'gray' };

/** Immunization history (given here or historical), what is due from the schedule rules, and entry. */
export function ImmunizationsPanel({ patientId }: { patientId: string }): ReactElement {
  const [list, setList] = useState<Immunization[]>([]);
  const [due, setDue] = useState<Due>([]);
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 150);
  const [vaccines, setVaccines] = useState<Vaccine[]>([]);
  const [form, setForm] = useState({
    cvx: '',
    mvx: '',
    doseNumber: '',
    administeredOn: clinicToday(),
    lot: '',
    expirationDate: '',
    site: '',
    route: '',
    source: 'administered',
  });
  const [makers, setMakers] = useState<{ value: string; label: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void api['immunizations.list']({ patientId }).then((r) => r.ok && setList(r.value));
    void api['immunizations.due']({ patientId }).then((r) => r.ok && setDue(r.value));
  }, [patientId]);
  useEffect(load, [load]);
  useEffect(() => void api['immunizations.vaccines']({ query: debounced }).then((r) => r.ok && setVaccines(r.value)), [debounced]);
  useEffect(
    () => void api['immunizations.manufacturers']({}).then((r) => r.ok && setMakers(r.value.map((m) => ({ value: m.mvx, label: `${m.name} (${m.mvx})` })))),
    [],
  );

  const add = async (): Promise<void> => {
    const r = await api['immunizations.add']({
      patientId,
      cvx: form.cvx,
      administeredOn: form.administeredOn,
      source: form.source as 'administered' | 'historical',
      ...(form.lot && { lot: form.lot }),
      ...(form.mvx && { mvx: form.mvx }),
      ...(form.doseNumber && { doseNumber: Number(form.doseNumber) }),
      ...(form.expirationDate && { expirationDate: form.expirationDate }),
      ...(form.site && { site: form.site }),
      ...(form.route && { route: form.route }),
    });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setForm({ ...form, cvx: '', mvx: '', doseNumber: '', lot: '', expirationDate: '' });
    load();
  };

  return (
    <Stack>
      <Title order={4}>Due and overdue</Title>
      <Table data-testid="immunizations-due">
        <Table.Tbody>
          {due
            .filter((d) => d.status !== 'not_applicable')
            .map((d) => (
              <Table.Tr key={d.seriesId}>
                <Table.Td fw={600} w={160}>
                  {d.series}
                </Table.Td>
                <Table.Td w={130}>
                  <Badge color={STATUS_COLOR[d.status]}>{d.status.replace(/_/g, ' ')}</Badge>
                </Table.Td>
                <Table.Td w={90}>
                  {d.dosesValid}/{d.dosesRequired}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{d.reason}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
      <Title order={4}>History</Title>
      <Table data-testid="immunization-list">
        <Table.Tbody>
          {list.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td w={110}>{i.administeredOn}</Table.Td>
              <Table.Td>
                {i.vaccine}{' '}
                <Text span c="dimmed" size="xs">
                  CVX {i.cvx}
                </Text>
              </Table.Td>
              <Table.Td>{i.lot ? `lot ${i.lot}` : ''}</Table.Td>
              <Table.Td>
                {i.site ?? ''} {i.route ?? ''}
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={i.source === 'administered' ? 'teal' : 'gray'}>
                  {i.source}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
          {list.length === 0 && (
            <Table.Tr>
              <Table.Td>
                <Text c="dimmed">No immunizations recorded.</Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Group align="flex-end">
        <Select
          label="Vaccine"
          searchable
          searchValue={query}
          onSearchChange={setQuery}
          data={vaccines.map((v) => ({ value: v.cvx, label: `${v.name} (CVX ${v.cvx})` }))}
          value={form.cvx || null}
          onChange={(v) => setForm({ ...form, cvx: v ?? '' })}
          w={320}
          filter={({ options }) => options}
        />
        <TextInput label="Date" value={form.administeredOn} onChange={(e) => setForm({ ...form, administeredOn: e.currentTarget.value })} w={120} />
        <Select
          label="Record"
          data={[
            { value: 'administered', label: 'Given here' },
            { value: 'historical', label: 'Historical' },
          ]}
          value={form.source}
          onChange={(v) => setForm({ ...form, source: v ?? 'administered' })}
          allowDeselect={false}
          w={130}
        />
        <Select label="Manufacturer" data={makers} searchable clearable value={form.mvx || null} onChange={(v) => setForm({ ...form, mvx: v ?? '' })} w={200} />
        <Select
          label="Dose #"
          data={['1', '2', '3', '4', '5', '6']}
          clearable
          value={form.doseNumber || null}
          onChange={(v) => setForm({ ...form, doseNumber: v ?? '' })}
          w={80}
        />
        <TextInput label="Lot" value={form.lot} onChange={(e) => setForm({ ...form, lot: e.currentTarget.value })} w={110} />
        <TextInput
          label="Expires"
          placeholder="YYYY-MM-DD"
          value={form.expirationDate}
          onChange={(e) => setForm({ ...form, expirationDate: e.currentTarget.value })}
          w={120}
        />
        <Select
          label="Site"
          data={['Left deltoid', 'Right deltoid', 'Left thigh', 'Right thigh', 'Left arm', 'Right arm', 'Oral', 'Nasal']}
          value={form.site || null}
          onChange={(v) => setForm({ ...form, site: v ?? '' })}
          w={140}
          clearable
        />
        <Select
          label="Route"
          data={['IM', 'SC', 'ID', 'PO', 'IN']}
          value={form.route || null}
          onChange={(v) => setForm({ ...form, route: v ?? '' })}
          w={90}
          clearable
        />
        <Button disabled={!form.cvx} onClick={() => void add()}>
          Record
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
    </Stack>
  );
}
