/**
 * Charting figures for `npm run bench`: the face sheet for a patient with ten years of history
 * (200 encounters, 2,000 observations) inside the big database, ICD-10-CM search, and signing.
 */
import { performance } from 'node:perf_hooks';
import { buildChartSummary } from '../../electron/services/chart-summary';
import type { Repos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import type { LatencyRow } from './report';
import { benchGrowth, GROWTH_VISITS, seedChild } from './growth.bench';

const UNITS = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' } as const;
const ICD_QUERIES = [
  'diab typ 2',
  'hypert',
  'E11.9',
  'asthma',
  'copd',
  'chest pain',
  'major depress',
  'otitis media',
  'urinary tract infect',
  'low back pain',
  'I10',
  'hyperlipid',
  'anxiety',
  'j45',
  'gerd',
  'migraine',
];

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function soapContent(i: number): Record<string, unknown> {
  return {
    'chief-complaint': `Follow-up visit ${i}`,
    hpi: 'Synthetic history: doing well, no new complaints.',
    ros: { allOthersNegative: true, systems: { cardiovascular: { status: 'negative' } } },
    impression: 'Stable chronic conditions',
    plan: 'Continue current plan; return in 3 months.',
  };
}

export async function benchCharting(repos: Repos, latencyRow: LatencyRow, progress: (msg: string) => void): Promise<void> {
  const doc = await repos.users.create({ username: 'bench-doc', displayName: 'Dr. Bench', role: 'physician', password: 'bench granite ledger 1' }, null);
  const actor = { userId: doc.id };
  const patient = repos.patients.create(patientInput.parse({ givenName: 'Decade', familyName: 'Ofhistory', birthDate: '1958-02-14', sex: 'female' }), actor);

  // Ten years of history: 200 visits, each with a 10-observation vitals set (2,000 observations).
  progress('charting: building a 10-year history (200 encounters, 2,000 observations)');
  const start = Date.parse('2016-11-01T09:00:00Z');
  for (let i = 0; i < 200; i++) {
    const e = repos.encounters.create({ patientId: patient.id, visitType: 'follow_up', status: 'in_progress', reason: `Visit ${i}` }, actor);
    const takenAt = new Date(start + i * 18.25 * 86_400_000).toISOString();
    repos.vitals.record(
      {
        patientId: patient.id,
        encounterId: e.id,
        takenAt,
        units: UNITS,
        systolic: 120 + (i % 30),
        diastolic: 70 + (i % 20),
        heartRate: 60 + (i % 25),
        respiratoryRate: 14 + (i % 4),
        temperature: 36.6 + (i % 5) / 10,
        spo2: 95 + (i % 5),
        height: 165,
        weight: 70 + (i % 10),
        painScore: i % 4,
      },
      actor,
    );
    if (i % 4 === 0) {
      const d = repos.notes.saveDraft(
        { patientId: patient.id, encounterId: e.id, templateId: 'primary-care-soap', title: 'Primary care visit (SOAP)', content: soapContent(i) },
        actor,
      );
      repos.notes.sign(d.id, d.version, actor);
    }
  }
  for (const code of ['I10', 'E11.9', 'E78.5', 'J45.909']) repos.problems.add({ patientId: patient.id, icd10: code, status: 'active', chronic: true }, actor);
  repos.allergies.add(
    { kind: 'allergy', patientId: patient.id, substance: 'Penicillin', substanceType: 'drug', reactions: ['hives'], criticality: 'high' },
    actor,
  );
  for (const [cvx, date] of [
    ['150', '2024-10-01'],
    ['115', '2019-05-01'],
    ['187', '2022-03-01'],
  ] as const) {
    repos.immunizations.add({ patientId: patient.id, cvx, administeredOn: date, source: 'administered' }, actor, '2026-11-25');
  }
  const obsCount = repos.vitals.trends(patient.id, patient.birthDate, '2026-11-25').reduce((n, t) => n + t.points.length, 0);

  progress(`charting: a 10-year-old with ${GROWTH_VISITS} growth visits`);
  const child = seedChild(repos, actor);
  benchGrowth(repos, child, latencyRow);

  const today = '2026-11-25';
  for (let i = 0; i < 20; i++) buildChartSummary(repos, patient.id, today);
  // Alternately the adult's decade and the child's chart, whose face sheet carries growth percentiles and a BP category.
  const summary: number[] = [];
  for (let i = 0; i < 300; i++) summary.push(time(() => buildChartSummary(repos, i % 2 === 0 ? patient.id : child.id, today)));
  latencyRow(
    'chart.summary',
    summary,
    `face sheet, alternately ${obsCount} vitals over 200 visits and 50 signed notes (adult, BP category) and a child's ${GROWTH_VISITS} growth visits (percentiles, flags); read only (the audited read adds one commit)`,
    30,
  );

  for (const q of ICD_QUERIES) repos.icd10().search(q, 25);
  const icd: number[] = [];
  for (let i = 0; i < 500; i++) {
    const q = ICD_QUERIES[i % ICD_QUERIES.length]!;
    icd.push(time(() => repos.icd10().search(q, 25)));
  }
  latencyRow('icd10.search', icd, `${ICD_QUERIES.length} word/code queries over ICD-10-CM FY2026, limit 25`, 20);

  const sign: number[] = [];
  for (let i = 0; i < 100; i++) {
    const d = repos.notes.saveDraft(
      { patientId: patient.id, templateId: 'primary-care-soap', title: 'Primary care visit (SOAP)', content: soapContent(1000 + i) },
      actor,
    );
    sign.push(time(() => repos.notes.sign(d.id, d.version, actor)));
  }
  latencyRow('note.sign', sign, 'validate for signing + SHA-256 + one commit (row, audit, outbox); excludes the deliberate ~0.3 s password re-check');
}
