import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairn } from '../helpers/cli';
import { tempDir } from '../helpers/temp-db';

interface Measurement {
  measure: string;
  at: string;
  value: number;
  reference: string | null;
  percentile: number | null;
  z: number | null;
  correctedAge: boolean;
  flags: { code: string; reference: string }[];
}

describe('cairn vitals add and cairn growth', () => {
  const t = tempDir('cairn-growth-cli-');
  const db = join(t.dir, 'clinic.cairn');
  let child: string;
  beforeAll(() => {
    expect(cairn(['init', '--db', db, '--admin', 'alice', '--clinic', 'Hilltop Pediatrics']).code).toBe(0);
    const p = cairn(['patients', 'add', '--db', db, '--given', 'Lena', '--family', 'Synthetic', '--birth-date', '2016-06-01', '--sex', 'female']);
    expect(p.code).toBe(0);
    child = (JSON.parse(p.out) as { id: string }).id;
  });
  afterAll(() => t.cleanup());

  it('records a set and prints it with flags, BMI-for-age percentile and the BP category', () => {
    const r = cairn([
      'vitals',
      'add',
      '--db',
      db,
      '--patient',
      child,
      '--at',
      '2026-06-15',
      '--weight-kg',
      '52',
      '--height-cm',
      '140',
      '--systolic',
      '122',
      '--diastolic',
      '70',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const set = JSON.parse(r.out) as {
      kind: string;
      interpretation: string;
      assessment?: { growth: Measurement[]; bp: { category: string; basis: string } | null };
    }[];
    expect(set.map((v) => v.kind)).toEqual(['systolic', 'diastolic', 'height', 'weight', 'bmi']);
    const bmi = set.find((v) => v.kind === 'bmi')!.assessment!.growth[0]!;
    expect(bmi.reference).toMatch(/CDC 2000/);
    expect(bmi.flags.map((f) => f.code)).toContain('obesity');
    const sys = set.find((v) => v.kind === 'systolic')!;
    // A 10-year-old girl at 122 systolic: at least elevated (≥ 120 mm Hg for a child), judged by AAP 2017.
    expect(['elevated', 'stage1']).toContain(sys.assessment!.bp!.category);
    expect(sys.assessment!.bp!.basis).toMatch(/AAP 2017/);
    expect(sys.interpretation).toBe('H');
  });

  it('prints every measurement with reference, percentile, z-score and flags, and records a gestational age', () => {
    expect(cairn(['vitals', 'add', '--db', db, '--patient', child, '--at', '2026-11-20T10:30', '--weight-kg', '53.1']).code).toBe(0);
    const r = cairn(['growth', '--db', db, '--patient', child]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { gestationalAgeWeeks: number | null; measurements: Measurement[] };
    expect(out.gestationalAgeWeeks).toBeNull();
    const weights = out.measurements.filter((m) => m.measure === 'weightForAge');
    expect(weights.map((m) => m.at.slice(0, 10))).toEqual(['2026-06-15', '2026-11-20']);
    for (const m of out.measurements) {
      expect(m.reference).toMatch(/CDC 2000/);
      expect(m.percentile).toBeGreaterThan(0);
      expect(typeof m.z).toBe('number');
    }
    expect(out.measurements.find((m) => m.measure === 'bmiForAge')!.flags.map((f) => f.code)).toContain('obesity');
    const ga = cairn(['growth', '--db', db, '--patient', child, '--gestational-age', '35+4']);
    expect(ga.code).toBe(0);
    expect((JSON.parse(ga.out) as { gestationalAgeWeeks: number }).gestationalAgeWeeks).toBe(35.57);
  });

  it('refuses bad input with a message a person can act on, and stores nothing', () => {
    const cases: [string[], RegExp][] = [
      [['--weight-kg', 'heavy'], /--weight-kg must be a number, got "heavy"/],
      [['--systolic', '120'], /diastolic is missing/],
      [['--weight-kg', '2000'], /weight/],
      [[], /give at least one value/],
    ];
    for (const [extra, message] of cases) {
      const r = cairn(['vitals', 'add', '--db', db, '--patient', child, '--at', '2026-11-21', ...extra]);
      expect(r.code, extra.join(' ')).not.toBe(0);
      expect(r.err).toMatch(message);
    }
    expect(cairn(['vitals', 'add', '--db', db, '--patient', child, '--at', '21/11/2026', '--weight-kg', '50']).err).toMatch(
      /--at must be a date as YYYY-MM-DD/,
    );
    expect(cairn(['growth', '--db', db, '--patient', child, '--gestational-age', 'early']).err).toMatch(/WEEKS\+DAYS/);
    expect(cairn(['growth', '--db', db, '--patient', child, '--gestational-age', '19+0']).err).toMatch(/at least 22 weeks/);
    expect(cairn(['growth', '--db', db]).err).toMatch(/missing --patient/);
    const after = JSON.parse(cairn(['growth', '--db', db, '--patient', child]).out) as { measurements: Measurement[]; gestationalAgeWeeks: number };
    expect(after.measurements.filter((m) => m.measure === 'weightForAge')).toHaveLength(2);
    expect(after.gestationalAgeWeeks).toBe(35.57);
  });
});
