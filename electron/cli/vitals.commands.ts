import { isIsoDate } from '../../shared/domain/dates';
import { CliError } from './cli-error';
import { need, parse, print, withSession } from './cli-session';

export const VITALS_HELP = `  cairn vitals add --db FILE --patient ID --at YYYY-MM-DD[THH:MM] [--weight-kg N] [--height-cm N] [--head-cm N]
      [--systolic N --diastolic N] [--heart-rate N] [--resp-rate N] [--temp-c N] [--spo2 N] [--pain N]
      Records one set of vitals and prints it as JSON with each value's flag, a child's growth
      percentiles (WHO 2006 to 24 months, CDC 2000 to 20 years) and the blood pressure category.
  cairn growth --db FILE --patient ID [--gestational-age WEEKS+DAYS]
      Prints every growth measurement with its reference, percentile, z-score and flags as JSON.
      --gestational-age 34+3 first records the gestational age at birth (ages are then corrected
      for prematurity until 24 months).`;

/** Flags that carry one number, with the vitals field each fills. */
const NUMBER_FLAGS = {
  'weight-kg': 'weight',
  'height-cm': 'height',
  'head-cm': 'headCircumference',
  systolic: 'systolic',
  diastolic: 'diastolic',
  'heart-rate': 'heartRate',
  'resp-rate': 'respiratoryRate',
  'temp-c': 'temperature',
  spo2: 'spo2',
  pain: 'painScore',
} as const;

function number(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new CliError(`--${flag} must be a number, got "${text}"`, 2);
  return n;
}

/** `--at 2026-03-04` (taken at noon UTC, so the date is the same in every zone) or a full ISO time. */
function takenAt(at: string): string {
  if (isIsoDate(at)) return `${at}T12:00:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(at) && isIsoDate(at.slice(0, 10))) return `${at.length === 16 ? `${at}:00` : at}Z`;
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(at) && isIsoDate(at.slice(0, 10))) return at;
  throw new CliError(`--at must be a date as YYYY-MM-DD (or YYYY-MM-DDTHH:MM), got "${at}"`, 2);
}

async function vitalsAdd(args: string[]): Promise<void> {
  const options = Object.fromEntries(Object.keys(NUMBER_FLAGS).map((f) => [f, { type: 'string' as const }]));
  const { values } = parse(args, { db: { type: 'string' }, patient: { type: 'string' }, at: { type: 'string' }, ...options });
  const patientId = need(values.patient, '--patient');
  const at = takenAt(need(values.at, '--at'));
  const entered: Record<string, number> = {};
  for (const [flag, field] of Object.entries(NUMBER_FLAGS)) {
    const v = (values as Record<string, unknown>)[flag];
    if (typeof v === 'string') entered[field] = number(flag, v);
  }
  if (Object.keys(entered).length === 0) throw new CliError('give at least one value, e.g. --weight-kg 9.2 (see cairn --help)', 2);
  await withSession(values.db, async ({ call }) => {
    const stored = await call('vitals.record', {
      patientId,
      takenAt: at,
      units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
      ...entered,
    });
    print(stored);
  });
}

/** "34+3" or "34" → weeks and days. */
function gestationalAge(text: string): { gestationalWeeks: number; gestationalDays: number } {
  const m = /^(\d{2})(?:\+([0-6]))?$/.exec(text.trim());
  if (!m) throw new CliError(`--gestational-age takes WEEKS+DAYS such as 34+3, got "${text}"`, 2);
  return { gestationalWeeks: Number(m[1]), gestationalDays: Number(m[2] ?? 0) };
}

interface ChartOut {
  unavailable: string | null;
  gestationalAgeWeeks: number | null;
  measures: {
    measure: string;
    label: string;
    unit: string;
    points: {
      at: string;
      ageDays: number;
      value: number;
      reading: { reference: string; percentile: number; z: number; correctedAge: boolean; flags: unknown[] } | null;
    }[];
  }[];
}

async function growth(args: string[]): Promise<void> {
  const { values } = parse(args, { db: { type: 'string' }, patient: { type: 'string' }, 'gestational-age': { type: 'string' } });
  const patientId = need(values.patient, '--patient');
  const ga = values['gestational-age'] === undefined ? null : gestationalAge(values['gestational-age']);
  await withSession(values.db, async ({ call }) => {
    if (ga) await call('growth.setBirthHistory', { patientId, ...ga });
    const chart = (await call('growth.chart', { patientId })) as ChartOut;
    print({
      patientId,
      gestationalAgeWeeks: chart.gestationalAgeWeeks,
      ...(chart.unavailable !== null && { unavailable: chart.unavailable }),
      measurements: chart.measures
        .flatMap((m) =>
          m.points.map((p) => ({
            measure: m.measure,
            chart: m.label,
            at: p.at,
            ageDays: p.ageDays,
            value: p.value,
            unit: m.unit,
            reference: p.reading?.reference ?? null,
            percentile: p.reading ? Math.round(p.reading.percentile * 10) / 10 : null,
            z: p.reading ? Math.round(p.reading.z * 100) / 100 : null,
            correctedAge: p.reading?.correctedAge ?? false,
            flags: p.reading?.flags ?? [],
          })),
        )
        .sort((a, b) => a.at.localeCompare(b.at) || a.measure.localeCompare(b.measure)),
    });
  });
}

/** Runs `cairn vitals add` and `cairn growth`. */
export async function vitalsCommand(cmd: string, sub: string | undefined, rest: string[]): Promise<void> {
  if (cmd === 'vitals' && sub === 'add') return vitalsAdd(rest);
  if (cmd === 'growth') return growth(sub === undefined ? rest : [sub, ...rest]);
  throw new CliError(`unknown command "${[cmd, sub].filter(Boolean).join(' ')}" (see cairn --help)`, 2);
}
