import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Card, SimpleGrid, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import type { VitalTrend } from '../../../../shared/domain/chart';
import { displayValue, unitLabel } from '../../../../shared/domain/display-units';
import { VITAL_KINDS } from '../../../../shared/domain/vitals';
import { api } from '../../lib/api';
import { timeAxis, timeOf } from '../../lib/time-axis';

/** The y range covers the readings and the normal band, so the band is always drawn. */
function domainWithBand(t: VitalTrend): [number, number] {
  const values = [...t.points.map((p) => p.value), t.band?.low, t.band?.high].filter((v): v is number => typeof v === 'number');
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.1, 1);
  return [Math.floor(lo - pad), Math.ceil(hi + pad)];
}

/** One chart per vital over time, with the normal band for the patient's age as reference lines. */
export function VitalsTrends({ patientId }: { patientId: string }): ReactElement {
  const [trends, setTrends] = useState<VitalTrend[]>([]);
  useEffect(() => void api['vitals.trends']({ patientId }).then((r) => r.ok && setTrends(r.value)), [patientId]);
  if (trends.length === 0) return <Text c="dimmed">No vitals recorded yet.</Text>;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="vitals-trends">
      {trends.map((t) => (
        <TrendCard key={t.kind} t={t} />
      ))}
    </SimpleGrid>
  );
}

/** One vital over a real time axis (readings years apart sit years apart), values rounded as read. */
function TrendCard({ t }: { t: VitalTrend }): ReactElement {
  const loinc = (VITAL_KINDS as Record<string, { loinc: string } | undefined>)[t.kind]?.loinc ?? t.kind;
  const unit = unitLabel(t.unit);
  const axis = timeAxis(t.points.map((p) => timeOf(p.at)));
  const shown = (v: number): string => displayValue({ loinc, value: v, unit: t.unit });
  return (
    <Card withBorder data-testid={`trend-${t.kind}`}>
      <Title order={5}>
        {t.display}
        {unit ? ` (${unit})` : ''}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t.points.length} reading{t.points.length === 1 ? '' : 's'}
        {t.band ? ` · normal ${t.band.low ?? '–'} to ${t.band.high ?? '–'}` : ''}
      </Text>
      <LineChart
        h={180}
        data={t.points.map((p) => ({ date: timeOf(p.at), value: p.value }))}
        dataKey="date"
        xAxisProps={axis.xAxisProps}
        tooltipProps={{ labelFormatter: axis.labelFormatter }}
        valueFormatter={shown}
        series={[{ name: 'value', label: t.display, color: 'teal.6' }]}
        withDots
        curveType="linear"
        referenceLines={[
          ...(t.band?.low != null ? [{ y: t.band.low, label: 'low', color: 'orange.5' }] : []),
          ...(t.band?.high != null ? [{ y: t.band.high, label: 'high', color: 'red.5' }] : []),
        ]}
        yAxisProps={{ domain: domainWithBand(t) }}
      />
    </Card>
  );
}
