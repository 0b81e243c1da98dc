import type { ReactElement } from 'react';
import { ordinalPercentile, plotSegment, type PlotBox } from '../../../../shared/domain/growth-plot';
import type { GrowthMeasureChart, GrowthSegment } from '../../../../shared/domain/growth-view';

const BOX: PlotBox = { width: 720, height: 420, left: 56, right: 48, top: 16, bottom: 44 };

/**
 * One growth chart as SVG: the reference's percentile curves (the 50th darker, each labelled at
 * its right end), the child's measurements as points joined in time order. The same geometry
 * (shared/domain/growth-plot) draws the printed PDF.
 */
export function GrowthChartSvg({ chart, segment }: { chart: GrowthMeasureChart; segment: GrowthSegment }): ReactElement {
  const plot = plotSegment(chart, segment, BOX);
  const line = (path: [number, number][]): string => path.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  const described = plot.points.map(
    (p) => `${p.point.at.slice(0, 10)}: ${p.point.value}${p.point.reading ? `, ${ordinalPercentile(p.point.reading.percentile)} percentile` : ''}`,
  );
  return (
    <svg
      viewBox={`0 0 ${BOX.width} ${BOX.height}`}
      width="100%"
      role="img"
      aria-label={`${chart.label}, ${segment.reference}: ${plot.points.length} measurement${plot.points.length === 1 ? '' : 's'}${described.length ? ` (${described.join('; ')})` : ''}`}
      data-testid={`growth-svg-${chart.measure}`}
      style={{ maxWidth: BOX.width, background: 'white' }}
    >
      {plot.yTicks.map((t) => (
        <g key={`y${t.value}`}>
          <line x1={BOX.left} x2={BOX.width - BOX.right} y1={t.at} y2={t.at} stroke="#e3e3e3" />
          <text x={BOX.left - 6} y={t.at + 4} fontSize={11} textAnchor="end" fill="#333">
            {t.label}
          </text>
        </g>
      ))}
      {plot.xTicks.map((t) => (
        <g key={`x${t.value}`}>
          <line x1={t.at} x2={t.at} y1={BOX.top} y2={BOX.height - BOX.bottom} stroke="#f0f0f0" />
          <text x={t.at} y={BOX.height - BOX.bottom + 14} fontSize={11} textAnchor="middle" fill="#333">
            {t.label}
          </text>
        </g>
      ))}
      <text x={(BOX.left + BOX.width - BOX.right) / 2} y={BOX.height - 8} fontSize={12} textAnchor="middle" fill="#222">
        {plot.xLabel}
      </text>
      <text
        x={12}
        y={BOX.top + (BOX.height - BOX.top - BOX.bottom) / 2}
        fontSize={12}
        textAnchor="middle"
        fill="#222"
        transform={`rotate(-90 12 ${BOX.top + (BOX.height - BOX.top - BOX.bottom) / 2})`}
      >
        {plot.yLabel}
      </text>
      {plot.curves.map((c) => (
        <g key={c.percentile} data-testid="growth-curve">
          <path d={line(c.path)} fill="none" stroke={c.percentile === 50 ? '#1c4f8c' : '#8a8a8a'} strokeWidth={c.percentile === 50 ? 2 : 1} />
          <text x={c.labelAt[0] + 4} y={c.labelAt[1] + 4} fontSize={10} fill="#444">
            {ordinalPercentile(c.percentile)}
          </text>
        </g>
      ))}
      {plot.points.length > 1 && <path d={line(plot.points.map((p) => p.at))} fill="none" stroke="#b3261e" strokeWidth={1.5} />}
      {plot.points.map((p) => (
        <circle key={`${p.point.observationId}`} cx={p.at[0]} cy={p.at[1]} r={4.5} fill="#b3261e" data-testid="growth-point">
          <title>{`${p.point.at.slice(0, 10)}: ${p.point.value}${p.point.reading ? ` (${ordinalPercentile(p.point.reading.percentile)} percentile)` : ''}`}</title>
        </circle>
      ))}
    </svg>
  );
}
