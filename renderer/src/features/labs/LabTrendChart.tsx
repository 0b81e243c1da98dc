import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Alert, Card, Loader, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { ReferenceArea } from 'recharts';
import { displayValue, unitLabel } from '../../../../shared/domain/display-units';
import type { LabTrend } from '../../../../shared/domain/lab-review';
import { api } from '../../lib/api';
import { timeAxis, timeOf } from '../../lib/time-axis';
import { range } from './values';

/** The y range covers the values and the reference range, so the band is always drawn. */
function domain(t: LabTrend): [number, number] {
  const values = [...t.points.map((p) => p.value), t.refLow, t.refHigh].filter((v): v is number => typeof v === 'number');
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.1, Math.abs(hi) * 0.05, 0.1);
  // Whole numbers when the values span more than a few units, so the axis reads 40, 190, 450.
  if (hi - lo > 10) return [Math.max(0, Math.floor((lo - pad) / 10) * 10), Math.ceil((hi + pad) / 10) * 10];
  return [Math.max(0, +(lo - pad).toPrecision(3)), +(hi + pad).toPrecision(3)];
}

/**
 * One test's values over time with its reference range shaded (recharts ReferenceArea inside the
 * Mantine chart). Keyed by the LOINC code by its parent, so another test starts from a fresh chart.
 */
export function LabTrendChart({ patientId, loinc }: { patientId: string; loinc: string }): ReactElement {
  const [trend, setTrend] = useState<LabTrend | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api['labs.trend']({ patientId, loinc }).then((r) => (r.ok ? setTrend(r.value) : setError(r.error.message)));
  }, [patientId, loinc]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!trend) return <Loader />;
  if (trend.points.length === 0) return <Text c="dimmed">{trend.display} has no numeric values to chart.</Text>;
  const [lo, hi] = domain(trend);
  const unit = unitLabel(trend.unit);
  // Points by their collection time: a result two years back sits two years away, not one step.
  const axis = timeAxis(trend.points.map((p) => timeOf(p.at)));
  return (
    <Card withBorder data-testid={`lab-trend-${loinc}`}>
      <Title order={5}>
        {trend.display}
        {unit ? ` (${unit})` : ''}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {trend.points.length} result{trend.points.length === 1 ? '' : 's'} · LOINC {trend.loinc}
        {trend.refLow !== null || trend.refHigh !== null ? ` · reference ${range(trend)}` : ' · no reference range'}
      </Text>
      <LineChart
        h={240}
        data={trend.points.map((p) => ({ date: timeOf(p.at), value: p.value }))}
        dataKey="date"
        xAxisProps={axis.xAxisProps}
        tooltipProps={{ labelFormatter: axis.labelFormatter }}
        valueFormatter={(v) => displayValue({ loinc: trend.loinc, value: v })}
        series={[{ name: 'value', label: trend.display, color: 'blue.6' }]}
        withDots
        curveType="linear"
        yAxisProps={{ domain: [lo, hi] }}
      >
        {(trend.refLow !== null || trend.refHigh !== null) && (
          <ReferenceArea y1={trend.refLow ?? lo} y2={trend.refHigh ?? hi} fill="var(--mantine-color-green-2)" fillOpacity={0.5} ifOverflow="extendDomain" />
        )}
      </LineChart>
    </Card>
  );
}
