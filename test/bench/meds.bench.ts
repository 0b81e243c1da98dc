/**
 * Medication safety figures for `npm run bench`: every check for a patient with 20 active
 * medications and 10 allergies against one new drug.
 */
import { performance } from 'node:perf_hooks';
import { checkNewDrug } from '../../shared/domain/med-checks';
import type { Repos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import type { LatencyRow } from './report';

const MEDS = [
  'lisinopril',
  'amlodipine',
  'metformin',
  'atorvastatin',
  'levothyroxine',
  'omeprazole',
  'sertraline',
  'gabapentin',
  'hydrochlorothiazide',
  'metoprolol',
  'albuterol',
  'montelukast',
  'tamsulosin',
  'allopurinol',
  'furosemide',
  'prednisone',
  'cetirizine',
  'trazodone',
  'losartan',
  'pravastatin',
  'clopidogrel',
  'insulin',
];
const ALLERGENS = ['Penicillin', 'Sulfa', 'Codeine', 'Aspirin', 'Latex', 'Shellfish', 'Peanut', 'Erythromycin', 'Cephalexin', 'Iodine'];
const NEW_DRUGS = ['warfarin', 'ibuprofen', 'clarithromycin', 'tramadol', 'ciprofloxacin', 'naproxen'];

export function benchMeds(repos: Repos, latencyRow: LatencyRow): void {
  const actor = { userId: 'bench-meds' };
  const patient = repos.patients.create(patientInput.parse({ givenName: 'Poly', familyName: 'Pharmacy', birthDate: '1945-05-05' }), actor);
  const { index } = repos.drugs();
  const find = (name: string): string | null =>
    index.byRxcui.size > 0 ? ([...index.byRxcui.values()].find((f) => f.drug.name.toLowerCase().startsWith(name))?.drug.rxcui ?? null) : null;
  let added = 0;
  for (const name of MEDS) {
    if (added === 20) break;
    const rxcui = find(name);
    if (!rxcui) continue;
    const alerts = repos.medications.check(patient.id, rxcui, '2026-11-25').alerts;
    repos.medications.add(
      { patientId: patient.id, rxcui, source: 'patient-reported', overrides: alerts.map((a) => ({ ruleId: a.ruleId, reason: 'benchmark: accepted' })) },
      actor,
      '2026-11-25',
    );
    added++;
  }
  for (const substance of ALLERGENS)
    repos.allergies.add({ kind: 'allergy', patientId: patient.id, substance, substanceType: 'drug', reactions: [], criticality: 'unable_to_assess' }, actor);
  const candidates = NEW_DRUGS.map(find).filter((x): x is string => x !== null);
  const full: number[] = [];
  const engine: number[] = [];
  const ctx = repos.medications.context(patient.id, '2026-11-25');
  for (let i = 0; i < 50; i++) repos.medications.check(patient.id, candidates[i % candidates.length]!, '2026-11-25');
  for (let i = 0; i < 1000; i++) {
    const rxcui = candidates[i % candidates.length]!;
    let t0 = performance.now();
    repos.medications.check(patient.id, rxcui, '2026-11-25', { amount: 5, unit: 'mg', perDay: 2 });
    full.push(performance.now() - t0);
    t0 = performance.now();
    checkNewDrug(ctx, rxcui, { amount: 5, unit: 'mg', perDay: 2 });
    engine.push(performance.now() - t0);
  }
  latencyRow(
    'meds.checks',
    full,
    `${added} active meds, ${ALLERGENS.length} allergies, ${candidates.length} new drugs; reads the list, allergies and weight, then all checks`,
    2,
  );
  latencyRow('meds.checks_engine', engine, 'the pure checks alone on a loaded context (info)');
}
