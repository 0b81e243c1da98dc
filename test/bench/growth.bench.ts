/**
 * Growth figures for `npm run bench`: a 10-year-old's whole growth history (40 visits from birth,
 * each with weight and length/height, head circumference to 3 years, BMI from the pair) judged
 * against WHO 2006 / CDC 2000 with flags, as the growth chart and the face sheet do.
 */
import { performance } from 'node:perf_hooks';
import type { Repos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import type { LatencyRow } from './report';

const UNITS = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' } as const;
export const GROWTH_VISITS = 40;

/** A girl born 2016-06-01 measured 40 times to 2026-11 along roughly the 60th-90th percentiles (BMI drifting towards obesity). */
export function seedChild(repos: Repos, actor: { userId: string }): { id: string; birthDate: string } {
  const child = repos.patients.create(patientInput.parse({ givenName: 'Growth', familyName: 'Benchmark', birthDate: '2016-06-01', sex: 'female' }), actor);
  const birth = Date.parse('2016-06-01T09:00:00Z');
  const span = Date.parse('2026-11-20T09:00:00Z') - birth;
  for (let i = 0; i < GROWTH_VISITS; i++) {
    // Denser in infancy, as well-child visits are.
    const f = (i / (GROWTH_VISITS - 1)) ** 2;
    const days = (f * span) / 86_400_000;
    const years = days / 365.25;
    const height = years < 2 ? 50 + 25 * years - 2.5 * years * years : 86 + 6.2 * (years - 2);
    const weight = years < 2 ? 3.4 + 5.5 * years - 0.9 * years * years : 12.5 + 2.6 * (years - 2) + 0.12 * (years - 2) ** 2;
    repos.vitals.record(
      {
        patientId: child.id,
        takenAt: new Date(birth + f * span).toISOString(),
        units: UNITS,
        weight: Math.round(weight * 100) / 100,
        height: Math.round(height * 10) / 10,
        ...(years < 3 && { headCircumference: Math.round((35 + 12 * Math.min(years, 2) ** 0.5) * 10) / 10 }),
        ...(years >= 3 && { systolic: 100 + Math.round(years), diastolic: 60 }),
      },
      actor,
    );
  }
  return { id: child.id, birthDate: child.birthDate };
}

/** growth.percentiles: every measurement of the child judged (z, percentile, flags), as the growth chart and face sheet do. */
export function benchGrowth(repos: Repos, child: { id: string; birthDate: string }, latencyRow: LatencyRow): void {
  const patient = { id: child.id, sex: 'female', birthDate: child.birthDate };
  const judged = repos.growth.history(patient).byObservation.size;
  for (let i = 0; i < 50; i++) repos.growth.history(patient);
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    repos.growth.history(patient);
    times.push(performance.now() - t0);
  }
  latencyRow(
    'growth.percentiles',
    times,
    `a 10-year-old's full history: ${GROWTH_VISITS} visits, ${judged} measurements judged (WHO 2006 / CDC 2000 LMS, corrected age, flags), read from the encrypted db`,
    1,
  );
}
