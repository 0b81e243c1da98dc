import { Text } from '@mantine/core';
import type { ReactElement } from 'react';
import { ordinalPercentile } from '../../../../shared/domain/growth-plot';
import type { VitalAssessment } from '../../../../shared/domain/growth-view';

/**
 * What a stored vital means beside its value: a child's percentile and z-score with the reference
 * named ("62nd percentile, z 0.31 · WHO 2006 weight-for-age"), the growth flags, or a blood
 * pressure's category with its basis ("Elevated · AAP 2017 table 4 (boys), age 7 …").
 */
export function AssessmentNote({ a, testId }: { a: VitalAssessment | undefined; testId?: string }): ReactElement | null {
  if (!a || (a.growth.length === 0 && !a.bp && !a.reference)) return null;
  return (
    <Text size="xs" c="dimmed" component="div" data-testid={testId}>
      {a.growth.map((g) => (
        <div key={g.measure}>
          {ordinalPercentile(g.percentile)} percentile, z {g.z.toFixed(2)} · {g.reference}
          {g.correctedAge ? ' (corrected age)' : ''}
          {g.flags.map((f) => (
            <Text span size="xs" c="orange.9" fw={600} key={f.code}>
              {' '}
              · {f.label}
            </Text>
          ))}
        </div>
      ))}
      {a.reference && (
        <div>
          Range: {a.reference.name}
          {a.reference.verified ? '' : ` (${a.reference.note.toLowerCase()})`}
        </div>
      )}
      {a.bp && (
        <div>
          <Text span size="xs" fw={600} c={a.bp.category === 'normal' ? undefined : 'red.9'}>
            {a.bp.label}
          </Text>
          {/* A child's BP percentile band for each component ("systolic ≥ 95th, diastolic < 90th"); empty for adults. */}
          {a.bp.systolicBand && ` (systolic ${a.bp.systolicBand}, diastolic ${a.bp.diastolicBand})`}
          {' · '}
          {a.bp.basis}
        </div>
      )}
    </Text>
  );
}
