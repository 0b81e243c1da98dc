import { Alert, Badge, Button, Card, Group, Loader, NumberInput, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { defaultSegment, ordinalPercentile, pointsIn } from '../../../../shared/domain/growth-plot';
import type { GrowthChart, GrowthMeasureChart } from '../../../../shared/domain/growth-view';
import { formatAge } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { downloadPdf } from '../../lib/download';
import { useSession } from '../../stores/session.store';
import { mayCall } from '../../../../shared/api/permissions';
import { clinicToday } from '../../lib/clinic-day';
import { GrowthChartSvg } from './GrowthChartSvg';

const unitLabel = (u: string): string => (u === 'kg/m2' ? 'kg/m²' : u);

/** Age at a measurement: months to 2 years, then years and months. */
function ageAt(days: number): string {
  const months = days / 30.4375;
  if (months < 24) return `${months.toFixed(1)} mo`;
  return `${Math.floor(months / 12)} y ${Math.floor(months % 12)} mo`;
}

/** Gestational age at birth: shown, and recorded by a clinician (corrected age until 24 months). */
function BirthHistoryForm({ chart, onSaved }: { chart: GrowthChart; onSaved: () => void }): ReactElement {
  const role = useSession((st) => st.session?.user?.role ?? null);
  const [weeks, setWeeks] = useState<number | string>('');
  const [days, setDays] = useState<number | string>(0);
  const [problem, setProblem] = useState<string | null>(null);
  const ga = chart.gestationalAgeWeeks;
  const shown = ga === null ? 'not recorded' : `${Math.floor(ga)} weeks ${Math.round((ga % 1) * 7)} days`;
  const save = async (): Promise<void> => {
    const r = await api['growth.setBirthHistory']({ patientId: chart.patientId, gestationalWeeks: Number(weeks), gestationalDays: Number(days) });
    if (!r.ok) return setProblem(r.error.message);
    setProblem(null);
    onSaved();
  };
  return (
    <Card withBorder data-testid="birth-history">
      <Text size="sm">
        Gestational age at birth: <b data-testid="gestational-age">{shown}</b>
        {chart.correctedUntil && ` · ages are corrected for prematurity on measurements before ${chart.correctedUntil}`}
      </Text>
      {role && mayCall(role, 'growth.setBirthHistory') && (
        <Group mt="xs" align="end">
          <NumberInput label="Weeks" min={22} max={44} value={weeks} onChange={setWeeks} w={100} data-testid="ga-weeks" />
          <NumberInput label="Days" min={0} max={6} value={days} onChange={setDays} w={100} data-testid="ga-days" />
          <Button variant="light" onClick={() => void save()} disabled={weeks === ''} data-testid="ga-save">
            Record gestational age
          </Button>
        </Group>
      )}
      {problem && (
        <Alert color="red" mt="xs" data-testid="ga-error">
          {problem}
        </Alert>
      )}
    </Card>
  );
}

/** One measure: the chart for the chosen reference (WHO to 24 months, CDC after) and its readings. */
function MeasureCard({ m, ageDays }: { m: GrowthMeasureChart; ageDays: number }): ReactElement {
  const [chosen, setChosen] = useState<string | null>(null);
  const segment = m.segments.find((s) => s.referenceId === chosen) ?? defaultSegment(m, ageDays);
  if (!segment) return <></>;
  const points = pointsIn(m, segment);
  return (
    <Card withBorder data-testid={`growth-${m.measure}`}>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{m.label}</Title>
        {m.segments.length > 1 && (
          <SegmentedControl
            size="xs"
            aria-label={`${m.label}: reference`}
            value={segment.referenceId}
            onChange={setChosen}
            data={m.segments.map((s) => ({ value: s.referenceId, label: s.reference }))}
            data-testid={`growth-reference-${m.measure}`}
          />
        )}
      </Group>
      <Text size="xs" c="dimmed" mb="xs" data-testid={`growth-citation-${m.measure}`}>
        {segment.reference}. {segment.citation}
      </Text>
      <GrowthChartSvg chart={m} segment={segment} />
      {points.length > 0 ? (
        <Table verticalSpacing={2} mt="xs" data-testid={`growth-table-${m.measure}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Age</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Percentile</Table.Th>
              <Table.Th>z-score</Table.Th>
              <Table.Th>Flags</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {points.map((p) => (
              <Table.Tr key={p.observationId}>
                <Table.Td>{p.at.slice(0, 10)}</Table.Td>
                <Table.Td>
                  {ageAt(p.ageDays)}
                  {p.reading?.correctedAge ? ' (corrected)' : ''}
                </Table.Td>
                <Table.Td>{m.xUnit === 'cm' ? `${p.value} kg at ${p.x} cm` : `${p.value} ${unitLabel(m.unit)}`}</Table.Td>
                <Table.Td>{p.reading ? ordinalPercentile(p.reading.percentile) : '—'}</Table.Td>
                <Table.Td>{p.reading ? p.reading.z.toFixed(2) : '—'}</Table.Td>
                <Table.Td>{p.reading?.flags.map((f) => f.label).join('; ') || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed" mt="xs">
          No measurements on this reference.
        </Text>
      )}
    </Card>
  );
}

/** A child's growth charts (WHO 2006 from birth to 24 months, CDC 2000 from 2 to 20 years), flags first. */
export function GrowthPage({ patientId }: { patientId: string }): ReactElement {
  const [chart, setChart] = useState<GrowthChart | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(() => void api['growth.chart']({ patientId }).then((r) => (r.ok ? setChart(r.value) : setProblem(r.error.message))), [patientId]);
  useEffect(load, [load]);
  if (problem) return <Alert color="red">{problem}</Alert>;
  if (!chart) return <Loader />;
  const today = clinicToday();
  // A card for each chart that has the child's points on one of its references.
  const charted = chart.measures.filter((m) => m.segments.some((s) => pointsIn(m, s).length > 0));
  return (
    <Stack data-testid="growth-page">
      <Group justify="space-between">
        <Text>
          {chart.name}, {formatAge(chart.birthDate, today)}, {chart.sex}
        </Text>
        <Button
          variant="light"
          onClick={() =>
            void api['growth.pdf']({ patientId }).then((r) => (r.ok ? downloadPdf(r.value.fileName, r.value.base64) : setProblem(r.error.message)))
          }
          data-testid="growth-print"
        >
          Print growth charts (PDF)
        </Button>
      </Group>
      {chart.unavailable ? (
        <Alert color="gray" data-testid="growth-unavailable">
          {chart.unavailable}
        </Alert>
      ) : (
        <>
          {/* Corrected age matters to 24 months; an older child's recorded gestational age is still shown. */}
          {(chart.ageDays < 730 || chart.gestationalAgeWeeks !== null) && <BirthHistoryForm chart={chart} onSaved={load} />}
          {chart.flags.length > 0 && (
            <Alert color="orange" title="Growth flags" data-testid="growth-flags">
              <Stack gap={4}>
                {chart.flags.map((f) => (
                  <Text size="sm" key={`${f.code}-${f.at}`}>
                    <Badge color="orange" variant="light" mr="xs">
                      {f.code}
                    </Badge>
                    {f.label} ({f.at.slice(0, 10)}; reference: {f.reference})
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          {charted.length === 0 && <Text c="dimmed">No weight, length, head circumference or BMI recorded yet.</Text>}
          {charted.map((m) => (
            <MeasureCard key={m.measure} m={m} ageDays={chart.ageDays} />
          ))}
        </>
      )}
    </Stack>
  );
}
