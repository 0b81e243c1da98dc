import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Alert, Badge, Button, Card, Group, Loader, Modal, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { DueList, MeasurePatient, MeasureSummary, MeasureTrendPoint } from '../../../../shared/domain/population-report';
import { api } from '../../lib/api';
import { downloadCsv, downloadPdf } from '../../lib/download';
import { useNav } from '../../stores/nav.store';
import { ScreenTitle, useRestoreFocus } from '../../components';
import { ClickableRow, activateOnKey } from '../../components';

type Provider = { id: string; displayName: string };

function useProviders(): Provider[] {
  const [providers, setProviders] = useState<Provider[]>([]);
  useEffect(
    () => void api['schedule.providers']({}).then((r) => r.ok && setProviders(r.value.filter((u) => u.role === 'physician' || u.role === 'nurse'))),
    [],
  );
  return providers;
}

function ProviderSelect({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }): ReactElement {
  const providers = useProviders();
  return (
    <Select
      label="Provider"
      placeholder="Whole practice"
      clearable
      data={providers.map((p) => ({ value: p.id, label: p.displayName }))}
      value={value}
      onChange={onChange}
      w={220}
      data-testid="population-provider"
    />
  );
}

/** Patients due or overdue for preventive care, for outreach: filter, then export CSV. */
function DueListTab(): ReactElement {
  const go = useNav((s) => s.go);
  const [list, setList] = useState<DueList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ruleIds, setRuleIds] = useState<string[]>([]);
  const [status, setStatus] = useState<string>('both');
  const [provider, setProvider] = useState<string | null>(null);
  const input = useCallback(
    () => ({
      ...(ruleIds.length > 0 && { ruleIds }),
      statuses: status === 'both' ? (['due', 'overdue'] as const).slice() : [status as 'due' | 'overdue'],
      ...(provider && { providerId: provider }),
      limit: 500,
    }),
    [ruleIds, status, provider],
  );
  useEffect(() => {
    void api['population.dueList'](input()).then((r) => (r.ok ? (setList(r.value), setError(null)) : setError(r.error.message)));
  }, [input]);
  const exportCsv = async (): Promise<void> => {
    const r = await api['population.dueListCsv'](input());
    if (r.ok) downloadCsv(r.value.fileName, r.value.csv);
    else setError(r.error.message);
  };
  return (
    <Stack>
      <Group align="end">
        <MultiSelect
          label="Items"
          placeholder="All preventive items"
          data={(list?.counts ?? []).map((c) => ({ value: c.ruleId, label: c.title }))}
          value={ruleIds}
          onChange={setRuleIds}
          w={380}
          clearable
          data-testid="due-rules"
        />
        <Select
          label="Status"
          data={[
            { value: 'both', label: 'Due and overdue' },
            { value: 'overdue', label: 'Overdue only' },
            { value: 'due', label: 'Due only' },
          ]}
          value={status}
          onChange={(v) => setStatus(v ?? 'both')}
          allowDeselect={false}
          w={180}
        />
        <ProviderSelect value={provider} onChange={setProvider} />
        <Button variant="light" onClick={() => void exportCsv()} data-testid="due-export">
          Export CSV
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!list && !error && <Loader />}
      {list && (
        <>
          <SimpleGrid cols={{ base: 2, md: 3, lg: 5 }} data-testid="due-counts">
            {list.counts.map((c) => (
              <Card
                key={c.ruleId}
                withBorder
                padding="xs"
                role="button"
                tabIndex={0}
                data-clickable
                aria-pressed={ruleIds.length === 1 && ruleIds[0] === c.ruleId}
                onClick={() => setRuleIds([c.ruleId])}
                onKeyDown={activateOnKey(() => setRuleIds([c.ruleId]))}
              >
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {c.title}
                </Text>
                <Group gap={6}>
                  <Text fw={700} c={c.overdue > 0 ? 'red.7' : undefined}>
                    {c.overdue}
                  </Text>
                  <Text size="xs" c="dimmed">
                    overdue
                  </Text>
                  <Text fw={700} c={c.due > 0 ? 'orange.7' : undefined}>
                    {c.due}
                  </Text>
                  <Text size="xs" c="dimmed">
                    due
                  </Text>
                </Group>
              </Card>
            ))}
          </SimpleGrid>
          <Text size="sm" c="dimmed" data-testid="due-total">
            {list.total} item{list.total === 1 ? '' : 's'} due as of {list.on} (rules {list.rulesVersion})
            {list.rows.length < list.total ? `, first ${list.rows.length} shown` : ''}
            {list.restrictedNotListed > 0 ? `; ${list.restrictedNotListed} on restricted charts not listed` : ''}
          </Text>
          <Table highlightOnHover data-testid="due-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Patient</Table.Th>
                <Table.Th>MRN</Table.Th>
                <Table.Th>Born</Table.Th>
                <Table.Th>Item</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Due since</Table.Th>
                <Table.Th>Last done</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.rows.map((r) => (
                <ClickableRow key={`${r.patientId}-${r.ruleId}`} onActivate={() => go({ name: 'chart', patientId: r.patientId, tab: 'preventive' })}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{r.mrn}</Table.Td>
                  <Table.Td>{r.birthDate}</Table.Td>
                  <Table.Td>{r.title}</Table.Td>
                  <Table.Td>
                    <Badge color={r.status === 'overdue' ? 'red' : 'orange'} variant="light">
                      {r.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{r.dueOn}</Table.Td>
                  <Table.Td>{r.lastDone ?? 'never'}</Table.Td>
                </ClickableRow>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

const pct = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1)} %`);

type Group = 'denominator' | 'excluded' | 'numerator' | 'gaps';

/**
 * What the numerator and the rest of the eligible patients mean. For most measures the numerator
 * met the goal and the rest are gaps (to act on). For an inverse measure (CMS122, HbA1c poor
 * control: lower is better) it is the other way round: the numerator is the poor outcome to act on,
 * and the rest are controlled, never a red "gap".
 */
function groupWords(inverse: boolean, group: Group): { label: string; act: boolean } {
  if (group === 'numerator') return inverse ? { label: 'Poor control (numerator)', act: true } : { label: 'Met (numerator)', act: false };
  if (group === 'gaps') return inverse ? { label: 'Controlled', act: false } : { label: 'Gaps', act: true };
  return { label: group === 'denominator' ? 'Denominator' : 'Exclusions', act: false };
}

/** The patients of one group (the gaps are where to act). */
function GroupPatients({
  year,
  provider,
  measureId,
  populationId,
  group,
  inverse,
  onClose,
}: {
  year: number;
  provider: string | null;
  measureId: string;
  populationId: string;
  group: Group;
  inverse: boolean;
  onClose: () => void;
}): ReactElement {
  useRestoreFocus();
  const go = useNav((s) => s.go);
  const [patients, setPatients] = useState<MeasurePatient[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api['population.measurePatients']({ year, measureId, populationId, group, ...(provider && { providerId: provider }) }).then((r) =>
      r.ok ? setPatients(r.value) : setError(r.error.message),
    );
  }, [year, provider, measureId, populationId, group]);
  return (
    <Modal opened onClose={onClose} title={`${measureId}: ${groupWords(inverse, group).label}`} size="lg">
      {error && <Alert color="red">{error}</Alert>}
      {!patients && !error && <Loader />}
      {patients && patients.length === 0 && <Text c="dimmed">Nobody in this group.</Text>}
      {patients && patients.length > 0 && (
        <Table highlightOnHover data-testid="measure-patients">
          <Table.Tbody>
            {patients.map((p) => (
              <ClickableRow key={p.id} onActivate={() => go({ name: 'chart', patientId: p.id, tab: 'preventive' })}>
                <Table.Td>
                  {p.name}
                  {p.restricted ? ' (restricted)' : ''}
                </Table.Td>
                <Table.Td>{p.mrn}</Table.Td>
                <Table.Td>{p.birthDate}</Table.Td>
              </ClickableRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}

/** A count that opens its patients: red when they are the ones to act on, green when they met the goal. */
function GroupButton({
  count,
  inverse,
  group,
  onClick,
  testId,
}: {
  count: number;
  inverse: boolean;
  group: Group;
  onClick: () => void;
  testId: string;
}): ReactElement {
  const { label, act } = groupWords(inverse, group);
  const color = group === 'numerator' || group === 'gaps' ? (act ? 'red' : 'teal') : undefined;
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      color={color}
      onClick={onClick}
      aria-label={`${count} ${label.toLowerCase()}: list the patients`}
      data-tone={act ? 'act' : 'ok'}
      data-testid={testId}
    >
      {count}
    </Button>
  );
}

function MeasureCard({
  m,
  trend,
  onGroup,
}: {
  m: MeasureSummary;
  trend: MeasureTrendPoint[];
  onGroup: (populationId: string, group: Group, inverse: boolean) => void;
}): ReactElement {
  const main = m.populations[m.populations.length - 1]!;
  // Column headings follow the measure's direction (every population of CMS122 is inverse).
  const inverse = m.populations.every((p) => p.inverse);
  // One chart row per quarter end: each population's rate there, in percent.
  const data = [...new Set(trend.map((p) => p.periodEnd))].map((end) => {
    const row: Record<string, string | number | null> = { quarter: end.slice(0, 7) };
    for (const pop of m.populations) {
      const rate = trend.find((p) => p.periodEnd === end && p.populationId === pop.id)?.rate ?? null;
      row[pop.label] = rate === null ? null : Math.round(rate * 1000) / 10;
    }
    return row;
  });
  return (
    <Card withBorder data-testid={`measure-${m.id}`}>
      <Group justify="space-between" align="start">
        <div>
          <Title order={5}>
            {m.id} {m.title}
          </Title>
          <Text size="xs" c="dimmed">
            {m.version}; {m.period.start} to {m.period.end}
          </Text>
        </div>
        <Badge size="lg" variant="light" color={main.inverse ? 'grape' : 'blue'} data-testid="measure-rate">
          {pct(main.rate)}
        </Badge>
      </Group>
      <Table mt="xs" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Population</Table.Th>
            <Table.Th>Denominator</Table.Th>
            <Table.Th>Exclusions</Table.Th>
            <Table.Th>{groupWords(inverse, 'numerator').label}</Table.Th>
            <Table.Th>{groupWords(inverse, 'gaps').label}</Table.Th>
            <Table.Th>Rate</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {m.populations.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{p.label}</Table.Td>
              <Table.Td>
                <GroupButton
                  count={p.denominator}
                  inverse={p.inverse}
                  group="denominator"
                  onClick={() => onGroup(p.id, 'denominator', p.inverse)}
                  testId={`denominator-${m.id}-${p.id}`}
                />
              </Table.Td>
              <Table.Td>
                <GroupButton
                  count={p.exclusions}
                  inverse={p.inverse}
                  group="excluded"
                  onClick={() => onGroup(p.id, 'excluded', p.inverse)}
                  testId={`excluded-${m.id}-${p.id}`}
                />
              </Table.Td>
              <Table.Td>
                <GroupButton
                  count={p.numerator}
                  inverse={p.inverse}
                  group="numerator"
                  onClick={() => onGroup(p.id, 'numerator', p.inverse)}
                  testId={`numerator-${m.id}-${p.id}`}
                />
              </Table.Td>
              <Table.Td>
                <GroupButton count={p.gaps} inverse={p.inverse} group="gaps" onClick={() => onGroup(p.id, 'gaps', p.inverse)} testId={`gaps-${m.id}-${p.id}`} />
              </Table.Td>
              <Table.Td>
                {pct(p.rate)}
                {p.inverse ? ' (lower is better)' : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {data.length > 0 && (
        <LineChart
          h={140}
          mt="sm"
          data={data}
          dataKey="quarter"
          unit=" %"
          yAxisProps={{ domain: [0, 100] }}
          connectNulls
          series={m.populations.map((p, i) => ({ name: p.label, color: ['blue.6', 'teal.6', 'grape.6'][i] ?? 'gray.6' }))}
          withLegend={m.populations.length > 1}
        />
      )}
      {m.approximations.map((a) => (
        <Text key={a} size="xs" c="dimmed">
          Note: {a}
        </Text>
      ))}
    </Card>
  );
}

/** The measures for a year (rolling quarters charted), per practice or per provider, with PDF and CSV export. */
function MeasuresTab(): ReactElement {
  const [year, setYear] = useState<number>(new Date().getFullYear());
  const [provider, setProvider] = useState<string | null>(null);
  const [measures, setMeasures] = useState<MeasureSummary[] | null>(null);
  const [trend, setTrend] = useState<MeasureTrendPoint[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [group, setGroup] = useState<{ measureId: string; populationId: string; group: Group; inverse: boolean } | null>(null);
  const input = { year, ...(provider && { providerId: provider }) };
  useEffect(() => {
    const i = { year, ...(provider && { providerId: provider }) };
    void api['population.measures'](i).then((r) => (r.ok ? (setMeasures(r.value), setError(null)) : setError(r.error.message)));
    void api['population.measuresTrend'](i).then((r) => r.ok && setTrend(r.value));
  }, [year, provider]);
  const exportPdf = async (): Promise<void> => {
    const r = await api['population.measuresPdf'](input);
    if (r.ok) downloadPdf(r.value.fileName, r.value.base64);
    else setError(r.error.message);
  };
  const exportCsv = async (): Promise<void> => {
    const r = await api['population.measuresCsv'](input);
    if (r.ok) downloadCsv(r.value.fileName, r.value.csv);
    else setError(r.error.message);
  };
  return (
    <Stack>
      <Group align="end">
        <NumberInput
          label="Reporting year"
          value={year}
          onChange={(v) => typeof v === 'number' && v >= 2000 && v <= 2100 && setYear(v)}
          min={2000}
          max={2100}
          w={140}
          data-testid="measures-year"
        />
        <ProviderSelect value={provider} onChange={setProvider} />
        <Button variant="light" onClick={() => void exportPdf()} data-testid="measures-pdf">
          Export PDF
        </Button>
        <Button variant="light" onClick={() => void exportCsv()}>
          Export CSV
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!measures && !error && <Loader />}
      {measures && (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          {measures.map((m) => (
            <MeasureCard
              key={m.id}
              m={m}
              trend={trend.filter((p) => p.measureId === m.id)}
              onGroup={(populationId, g, inverse) => setGroup({ measureId: m.id, populationId, group: g, inverse })}
            />
          ))}
        </SimpleGrid>
      )}
      {group && <GroupPatients year={year} provider={provider} {...group} onClose={() => setGroup(null)} />}
    </Stack>
  );
}

/** Population health: the practice's preventive due list and its quality measures. */
export function PopulationScreen({ tab }: { tab?: 'due' | 'measures' | undefined }): ReactElement {
  return (
    <Tabs defaultValue={tab ?? 'due'} keepMounted={false}>
      <ScreenTitle title="Population health" />
      <Tabs.List mt="sm">
        <Tabs.Tab value="due" data-testid="tab-due-list">
          Preventive care due
        </Tabs.Tab>
        <Tabs.Tab value="measures" data-testid="tab-measures">
          Quality measures
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="due" pt="md">
        <DueListTab />
      </Tabs.Panel>
      <Tabs.Panel value="measures" pt="md">
        <MeasuresTab />
      </Tabs.Panel>
    </Tabs>
  );
}
