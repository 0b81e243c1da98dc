import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Card, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import type { VitalTrend } from '../../../../../shared/api/portal-http';
import { unitLabel } from '../../../../../shared/domain/display-units';
import { isKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';

/** How many readings the table under each chart lists (the newest). */
const SHOWN = 5;

/** The y range around the readings (not from 0, which would flatten a trend of 128 → 135). */
function domain(points: { value: number }[]): [number, number] {
  const values = points.map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.15, 1);
  return [Math.floor(lo - pad), Math.ceil(hi + pad)];
}

/** One small chart per vital sign, with its newest readings as a table (the chart itself is a picture of that table). */
export function VitalsTrends({ trends }: { trends: VitalTrend[] }): ReactElement {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      {trends.map((v) => (
        <TrendCard key={v.kind} v={v} />
      ))}
    </SimpleGrid>
  );
}

function TrendCard({ v }: { v: VitalTrend }): ReactElement {
  const { t, fmt } = useI18n();
  const key = `vital.${v.kind}`;
  const label = isKey(key) ? t(key) : v.label;
  const points = [...v.points].sort((a, b) => a.at.localeCompare(b.at));
  const newest = points.slice(-SHOWN).reverse();
  const shownUnit = unitLabel(v.unit);
  const unit = shownUnit ? ` ${shownUnit}` : '';
  return (
    <Card withBorder data-testid={`vital-${v.kind}`}>
      <Title order={3} fz={17}>
        {label}
      </Title>
      {newest[0] && (
        <Text size="sm" mb="xs">
          {t('health.latest', { value: `${fmt.number(newest[0].value)}${unit}`, date: fmt.date(newest[0].at) })}
        </Text>
      )}
      {points.length > 1 && (
        <div aria-hidden>
          <LineChart
            h={140}
            data={points.map((p) => ({ date: fmt.date(p.at), value: p.value }))}
            dataKey="date"
            series={[{ name: 'value', label, color: 'teal.6' }]}
            withDots
            curveType="linear"
            withTooltip={false}
            // A picture of the table below: recharts' keyboard layer would put a tab stop inside aria-hidden.
            lineChartProps={{ accessibilityLayer: false }}
            yAxisProps={{ domain: domain(points) }}
            valueFormatter={(n) => fmt.number(n)}
          />
        </div>
      )}
      <Table mt="xs" fz="sm">
        <caption className="portal-visually-hidden">{t('health.readings', { label })}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('health.date')}</Table.Th>
            <Table.Th scope="col">{t('health.value')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {newest.map((p) => (
            <Table.Tr key={p.at}>
              <Table.Td>{fmt.date(p.at)}</Table.Td>
              <Table.Td>
                {fmt.number(p.value)}
                {unit}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
