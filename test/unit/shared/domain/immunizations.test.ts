import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addDays, addDuration, addMonths, addYears, parseDuration } from '../../../../shared/domain/dates';
import { type DueItem, immunizationSchedule, immunizationsDue, type ImmunizationRecord } from '../../../../shared/domain/immunizations';

const raw: unknown = JSON.parse(readFileSync(new URL('../../../../resources/immunizations/schedule.json', import.meta.url), 'utf8'));
const schedule = immunizationSchedule.parse(raw);

/** Runs the engine and indexes the result by series id. */
function due(birthDate: string, on: string, history: ImmunizationRecord[] = []): Record<string, DueItem> {
  const items = immunizationsDue({ birthDate, on, history, schedule });
  return Object.fromEntries(items.map((i) => [i.seriesId, i]));
}

/** Records written as "CVX@YYYY-MM-DD". */
function h(...given: string[]): ImmunizationRecord[] {
  return given.map((g) => {
    const [cvx, date] = g.split('@') as [string, string];
    return { cvx, date };
  });
}

/** The date fields of an item, for compact exact assertions. */
function dates(i: DueItem | undefined): Pick<DueItem, 'status' | 'nextDose' | 'earliestDate' | 'dueDate' | 'overdueDate'> {
  if (!i) throw new Error('series missing');
  return { status: i.status, nextDose: i.nextDose, earliestDate: i.earliestDate, dueDate: i.dueDate, overdueDate: i.overdueDate };
}

describe('calendar arithmetic (CDSi date rules)', () => {
  it('adds months and years on the calendar; a missing day moves to the 1st of the next month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-03-01');
    expect(addMonths('2024-03-31', 6)).toBe('2024-10-01');
    expect(addMonths('2024-12-31', 2)).toBe('2025-03-01');
    expect(addMonths('2025-01-15', 2)).toBe('2025-03-15');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addYears('2024-02-29', 1)).toBe('2025-03-01');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });
  it('adds weeks and days as days, across month ends and leap days', () => {
    expect(addDays('2024-02-27', 3)).toBe('2024-03-01');
    expect(addDays('2025-02-27', 2)).toBe('2025-03-01');
    expect(addDays('2025-03-01', -4)).toBe('2025-02-25');
    expect(addDuration('2025-01-15', '6 weeks')).toBe('2025-02-26');
    expect(addDuration('2025-01-15', '14 weeks 6 days')).toBe('2025-04-29');
    expect(addDuration('2025-01-15', '8 months 0 days')).toBe('2025-09-15');
    expect(parseDuration('14 weeks 6 days')).toEqual({ years: 0, months: 0, weeks: 14, days: 6 });
    expect(() => parseDuration('2 fortnights')).toThrow(/invalid duration/);
  });
});

describe('schedule data', () => {
  it('validates, carries a version and cites ACIP for every series', () => {
    expect(schedule.version).toBe('2025.1');
    expect(schedule.gracePeriodDays).toBe(4);
    expect(schedule.notes.length).toBeGreaterThan(0);
    expect(schedule.series.map((s) => s.id)).toEqual([
      'hepb',
      'rotavirus',
      'dtap',
      'hib',
      'pcv',
      'ipv',
      'mmr',
      'varicella',
      'hepa',
      'influenza',
      'tdap-td',
      'hpv',
      'zoster',
      'pneumococcal-adult',
    ]);
    for (const s of schedule.series) expect(s.citation).toMatch(/Immunization Schedule, United States, 2025/);
    const dtap = schedule.series.find((s) => s.id === 'dtap');
    expect(dtap?.cvx).toEqual(expect.arrayContaining(['110', '120', '130', '146']));
  });
  it('rejects malformed rules with a path and a message', () => {
    const bad = structuredClone(raw) as { series: { doses?: { dose: number; minAge: string }[] }[] };
    const hepb = bad.series[0]!;
    hepb.doses![1]!.minAge = '4 fortnights';
    hepb.doses![2]!.dose = 7;
    const r = immunizationSchedule.safeParse(bad);
    expect(r.success).toBe(false);
    const byPath = Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byPath['series.0.doses.1.minAge']).toMatch(/age or interval/);
    const r2 = immunizationSchedule.safeParse({ ...(raw as object), version: '' });
    expect(r2.success).toBe(false);
  });
  it('rejects a dose numbering gap and a dose CVX outside the series list', () => {
    const bad = structuredClone(raw) as { series: { doses?: { dose: number; cvx?: string[] }[] }[] };
    bad.series[0]!.doses![2]!.dose = 4;
    bad.series[0]!.doses![0]!.cvx = ['115'];
    const r = immunizationSchedule.safeParse(bad);
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('series.0.doses.2.dose: dose numbers must run 1, 2, 3…: expected 3');
    expect(messages).toContain('series.0.doses.0.cvx: CVX 115 is not in the series CVX list');
  });
});

describe('infants', () => {
  it('newborn on day 0: HepB dose 1 due; the 2-month vaccines are not yet due', () => {
    const r = due('2025-01-15', '2025-01-15');
    expect(dates(r['hepb'])).toEqual({ status: 'due', nextDose: 1, earliestDate: '2025-01-15', dueDate: '2025-01-15', overdueDate: '2025-02-15' });
    expect(r['hepb']!.reason).toBe('dose 1 of 3 due from 2025-01-15 (recommended age 0 days)');
    for (const id of ['dtap', 'ipv', 'hib', 'pcv', 'rotavirus'])
      expect(dates(r[id])).toEqual({ status: 'not_yet_due', nextDose: 1, earliestDate: '2025-02-26', dueDate: '2025-03-15', overdueDate: '2025-04-15' });
    expect(r['dtap']!.reason).toBe('dose 1 of 5 due from 2025-03-15 (recommended age 2 months); earliest valid date 2025-02-26');
    expect(dates(r['mmr'])).toEqual({ status: 'not_yet_due', nextDose: 1, earliestDate: '2026-01-15', dueDate: '2026-01-15', overdueDate: '2026-05-15' });
    expect(dates(r['influenza'])).toMatchObject({ status: 'not_yet_due', dueDate: '2025-07-15' });
    expect(r['zoster']!.status).toBe('not_applicable');
    expect(r['zoster']!.reason).toBe('not applicable: age 0 days is below the zoster starting age (50)');
  });

  it('2-month-old with HepB x1: HepB dose 2 and DTaP/IPV/Hib/PCV/RV dose 1 due on the 2-month date', () => {
    const r = due('2025-01-15', '2025-03-15', h('08@2025-01-15'));
    expect(dates(r['hepb'])).toEqual({ status: 'due', nextDose: 2, earliestDate: '2025-02-12', dueDate: '2025-02-15', overdueDate: '2025-04-15' });
    expect(r['hepb']).toMatchObject({ dosesValid: 1, dosesRequired: 3, invalidDoses: [] });
    for (const id of ['dtap', 'ipv', 'hib', 'pcv', 'rotavirus']) {
      expect(dates(r[id])).toEqual({ status: 'due', nextDose: 1, earliestDate: '2025-02-26', dueDate: '2025-03-15', overdueDate: '2025-04-15' });
      expect(r[id]!.reason).toMatch(/^dose 1 of \d due from 2025-03-15 \(recommended age 2 months\)$/);
    }
    expect(r['rotavirus']!.dosesRequired).toBe(3);
  });

  it('7-month-old with no vaccines: the infant series are overdue and rotavirus is no longer applicable', () => {
    const r = due('2024-06-10', '2025-01-20');
    expect(dates(r['hepb'])).toEqual({ status: 'overdue', nextDose: 1, earliestDate: '2024-06-10', dueDate: '2024-06-10', overdueDate: '2024-07-10' });
    for (const id of ['dtap', 'ipv', 'hib', 'pcv'])
      expect(dates(r[id])).toEqual({ status: 'overdue', nextDose: 1, earliestDate: '2024-07-22', dueDate: '2024-08-10', overdueDate: '2024-09-10' });
    expect(r['dtap']!.reason).toBe('dose 1 of 5 overdue since 2024-09-10 (due from 2024-08-10, recommended age 2 months)');
    expect(dates(r['rotavirus'])).toEqual({ status: 'not_applicable', nextDose: null, earliestDate: null, dueDate: null, overdueDate: null });
    expect(r['rotavirus']!.reason).toBe('not applicable: age 7 months is past the maximum age 14 weeks 6 days for dose 1 (2024-09-22)');
    expect(dates(r['influenza'])).toEqual({ status: 'overdue', nextDose: 1, earliestDate: '2024-12-10', dueDate: '2024-12-10', overdueDate: '2025-01-10' });
    expect(r['influenza']!.dosesRequired).toBe(2);
    expect(dates(r['mmr'])).toMatchObject({ status: 'not_yet_due', dueDate: '2025-06-10' });
  });

  it('rotavirus maximum ages: dose 1 through 14 weeks 6 days, later doses through 8 months 0 days', () => {
    expect(due('2024-06-10', '2024-09-22')['rotavirus']!.status).toBe('overdue');
    expect(due('2024-06-10', '2024-09-23')['rotavirus']!.status).toBe('not_applicable');
    const history = h('116@2024-08-10');
    expect(dates(due('2024-06-10', '2025-02-10', history)['rotavirus'])).toEqual({
      status: 'overdue',
      nextDose: 2,
      earliestDate: '2024-09-07',
      dueDate: '2024-10-10',
      overdueDate: '2024-11-10',
    });
    const late = due('2024-06-10', '2025-02-11', history)['rotavirus']!;
    expect(late.status).toBe('not_applicable');
    expect(late.reason).toBe('not applicable: age 8 months is past the maximum age 8 months 0 days for dose 2 (2025-02-10)');
    // A first dose given at 15 weeks 0 days does not count.
    const tooOld = due('2024-06-10', '2024-10-01', h('116@2024-09-23'))['rotavirus']!;
    expect(tooOld.invalidDoses).toEqual([{ date: '2024-09-23', cvx: '116', why: 'given at age 15 weeks, after the maximum age 14 weeks 6 days for dose 1' }]);
    expect(tooOld.status).toBe('not_applicable');
  });

  it('RV1 (Rotarix) completes in 2 doses; RV5 needs 3', () => {
    expect(due('2025-01-15', '2025-06-01', h('119@2025-03-15', '119@2025-05-15'))['rotavirus']).toMatchObject({
      status: 'complete',
      dosesValid: 2,
      dosesRequired: 2,
    });
    const rv5 = due('2025-01-15', '2025-06-01', h('116@2025-03-15', '116@2025-05-15'))['rotavirus']!;
    expect(dates(rv5)).toEqual({ status: 'not_yet_due', nextDose: 3, earliestDate: '2025-06-12', dueDate: '2025-07-15', overdueDate: '2025-08-15' });
    expect(rv5.dosesRequired).toBe(3);
  });

  it('a dose given before the minimum age minus 4 days is invalid; at the grace limit it counts', () => {
    const early = due('2025-01-15', '2025-03-15', h('20@2025-02-21'))['dtap']!;
    expect(early.dosesValid).toBe(0);
    expect(early.invalidDoses).toEqual([
      {
        date: '2025-02-21',
        cvx: '20',
        why: 'given at age 5 weeks 2 days, before the minimum age 6 weeks for dose 1 (valid from 2025-02-22 with the 4-day grace period)',
      },
    ]);
    expect(dates(early)).toEqual({ status: 'due', nextDose: 1, earliestDate: '2025-02-26', dueDate: '2025-03-15', overdueDate: '2025-04-15' });

    const grace = due('2025-01-15', '2025-03-15', h('20@2025-02-22'))['dtap']!;
    expect(grace).toMatchObject({ dosesValid: 1, invalidDoses: [] });
    expect(dates(grace)).toEqual({ status: 'not_yet_due', nextDose: 2, earliestDate: '2025-03-26', dueDate: '2025-05-15', overdueDate: '2025-06-15' });
  });

  it('minimum interval: 23 days after dose 1 is invalid, 24 days counts (4-day grace); the repeat is spaced from the invalid dose', () => {
    const r = due('2025-01-15', '2025-04-20', h('110@2025-03-15', '110@2025-04-07'));
    for (const id of ['dtap', 'ipv', 'hepb']) {
      expect(r[id]!.dosesValid).toBe(1);
      expect(r[id]!.invalidDoses).toEqual([
        {
          date: '2025-04-07',
          cvx: '110',
          why: 'given 23 days after dose 1, before the minimum interval 4 weeks for dose 2 (valid from 2025-04-08 with the 4-day grace period)',
        },
      ]);
    }
    expect(dates(r['dtap'])).toEqual({ status: 'not_yet_due', nextDose: 2, earliestDate: '2025-05-05', dueDate: '2025-05-15', overdueDate: '2025-06-15' });
    expect(r['dtap']!.reason).toBe('dose 2 of 5 due from 2025-05-15 (recommended age 4 months); earliest valid date 2025-05-05');

    const ok = due('2025-01-15', '2025-04-20', h('110@2025-03-15', '110@2025-04-08'));
    expect(ok['dtap']).toMatchObject({ dosesValid: 2, invalidDoses: [], nextDose: 3 });
  });

  it('catch-up: a late dose 1 pushes dose 2 to the minimum interval', () => {
    const before = due('2025-01-15', '2025-03-20', h('08@2025-03-01'))['hepb']!;
    expect(dates(before)).toEqual({ status: 'not_yet_due', nextDose: 2, earliestDate: '2025-03-29', dueDate: '2025-03-29', overdueDate: '2025-04-15' });
    const after = due('2025-01-15', '2025-04-01', h('08@2025-03-01'))['hepb']!;
    expect(after.status).toBe('due');
    expect(after.reason).toBe('dose 2 of 3 due from 2025-03-29 (minimum interval 4 weeks after dose 1)');
  });

  it('HepB dose 3 waits for 24 weeks of age, 8 weeks after dose 2 and 16 weeks after dose 1', () => {
    const r = due('2025-01-15', '2025-06-01', h('08@2025-01-15', '146@2025-03-15'))['hepb']!;
    expect(dates(r)).toEqual({ status: 'not_yet_due', nextDose: 3, earliestDate: '2025-07-02', dueDate: '2025-07-15', overdueDate: '2026-08-15' });
  });
});

describe('combination vaccines', () => {
  it('Vaxelis (146) counts toward DTaP, IPV, Hib and HepB; Pediarix (110) toward DTaP, IPV and HepB only', () => {
    const vax = due('2025-01-15', '2025-04-01', h('08@2025-01-15', '146@2025-03-15'));
    expect(vax['dtap']).toMatchObject({ dosesValid: 1, nextDose: 2 });
    expect(vax['ipv']).toMatchObject({ dosesValid: 1, nextDose: 2 });
    expect(vax['hib']).toMatchObject({ dosesValid: 1, dosesRequired: 4, nextDose: 2 });
    expect(vax['hepb']).toMatchObject({ dosesValid: 2, nextDose: 3 });
    expect(vax['pcv']).toMatchObject({ dosesValid: 0, status: 'due' });

    const ped = due('2025-01-15', '2025-04-01', h('110@2025-03-15'));
    expect(ped['dtap']!.dosesValid).toBe(1);
    expect(ped['ipv']!.dosesValid).toBe(1);
    expect(ped['hepb']!.dosesValid).toBe(1);
    expect(ped['hib']).toMatchObject({ dosesValid: 0, status: 'due' });
  });

  it('PedvaxHIB (PRP-OMP) x2 needs only the 12-month booster; ActHIB needs a 6-month dose', () => {
    const omp = due('2025-01-15', '2025-09-01', h('49@2025-03-15', '49@2025-05-15'))['hib']!;
    expect(omp).toMatchObject({ dosesValid: 2, dosesRequired: 3 });
    expect(dates(omp)).toEqual({ status: 'not_yet_due', nextDose: 3, earliestDate: '2026-01-15', dueDate: '2026-01-15', overdueDate: '2026-05-15' });
    const prpT = due('2025-01-15', '2025-09-01', h('48@2025-03-15', '48@2025-05-15'))['hib']!;
    expect(prpT).toMatchObject({ dosesValid: 2, dosesRequired: 4 });
    expect(dates(prpT)).toEqual({ status: 'overdue', nextDose: 3, earliestDate: '2025-06-12', dueDate: '2025-07-15', overdueDate: '2025-08-15' });
  });
});

describe('toddlers and children', () => {
  it('13-month-old: MMR, varicella and HepA dose 1 due from the 12-month date; a dose at 11 months does not count', () => {
    const r = due('2024-01-20', '2025-02-20', h('03@2024-12-20'));
    expect(dates(r['mmr'])).toEqual({ status: 'due', nextDose: 1, earliestDate: '2025-01-20', dueDate: '2025-01-20', overdueDate: '2025-05-20' });
    expect(r['mmr']!.invalidDoses).toEqual([
      {
        date: '2024-12-20',
        cvx: '03',
        why: 'given at age 11 months, before the minimum age 12 months for dose 1 (valid from 2025-01-16 with the 4-day grace period)',
      },
    ]);
    expect(dates(r['varicella'])).toEqual({ status: 'due', nextDose: 1, earliestDate: '2025-01-20', dueDate: '2025-01-20', overdueDate: '2025-05-20' });
    expect(dates(r['hepa'])).toEqual({ status: 'due', nextDose: 1, earliestDate: '2025-01-20', dueDate: '2025-01-20', overdueDate: '2026-01-20' });

    // Three days before the first birthday is inside the grace period: MMR dose 2 is then due at 4 years.
    const grace = due('2024-01-20', '2025-02-20', h('03@2025-01-17'))['mmr']!;
    expect(grace.dosesValid).toBe(1);
    expect(dates(grace)).toEqual({ status: 'not_yet_due', nextDose: 2, earliestDate: '2025-02-20', dueDate: '2028-01-20', overdueDate: '2031-01-20' });
  });

  it('5-year-old with the routine series given on time: every childhood series complete', () => {
    const history = h(
      '08@2020-01-10',
      '08@2020-02-10',
      '120@2020-03-10',
      '133@2020-03-10',
      '116@2020-03-10',
      '120@2020-05-10',
      '133@2020-05-10',
      '116@2020-05-10',
      '120@2020-07-10',
      '133@2020-07-10',
      '116@2020-07-10',
      '08@2020-07-10',
      '03@2021-01-10',
      '21@2021-01-10',
      '83@2021-01-10',
      '48@2021-01-10',
      '133@2021-01-10',
      '20@2021-04-10',
      '83@2021-07-10',
      '130@2024-01-10',
      '94@2024-01-10',
    );
    const r = due('2020-01-10', '2025-02-01', history);
    const expected: Record<string, number> = { hepb: 3, rotavirus: 3, dtap: 5, hib: 4, pcv: 4, ipv: 4, mmr: 2, varicella: 2, hepa: 2 };
    for (const [id, n] of Object.entries(expected)) {
      expect(r[id]).toMatchObject({ status: 'complete', dosesValid: n, dosesRequired: n, nextDose: null, dueDate: null, invalidDoses: [] });
      expect(r[id]!.reason).toBe(`complete: ${n} of ${n} valid doses`);
    }
    expect(dates(r['tdap-td'])).toEqual({ status: 'not_yet_due', nextDose: 1, earliestDate: '2030-01-10', dueDate: '2031-01-10', overdueDate: '2033-01-10' });
    // Never vaccinated against influenza and under 9: two doses this season, overdue since 1 November.
    expect(r['influenza']).toMatchObject({ status: 'overdue', dosesRequired: 2, dueDate: '2024-08-01', overdueDate: '2024-11-01' });
  });
});

describe('adults', () => {
  it('52-year-old with no zoster vaccine: dose 1 due (open-ended adult recommendation, never overdue)', () => {
    const r = due('1973-03-05', '2025-10-10');
    expect(dates(r['zoster'])).toEqual({ status: 'due', nextDose: 1, earliestDate: '2023-03-05', dueDate: '2023-03-05', overdueDate: null });
    expect(r['zoster']!.reason).toBe('dose 1 of 2 due from 2023-03-05 (recommended age 50 years)');
    expect(dates(r['pneumococcal-adult'])).toEqual({ status: 'due', nextDose: 1, earliestDate: '1992-03-05', dueDate: '2023-03-05', overdueDate: null });
    for (const id of ['hepb', 'dtap', 'hib', 'pcv', 'ipv', 'mmr', 'varicella', 'hepa', 'rotavirus', 'hpv']) expect(r[id]!.status).toBe('not_applicable');
  });

  it('zoster dose 2: 2-6 months after dose 1; a dose 2 under 4 weeks is repeated 4 weeks after it', () => {
    const r = due('1973-03-05', '2025-07-01', h('187@2025-06-01'))['zoster']!;
    expect(dates(r)).toEqual({ status: 'not_yet_due', nextDose: 2, earliestDate: '2025-06-29', dueDate: '2025-08-01', overdueDate: '2026-01-01' });
    expect(due('1973-03-05', '2026-01-01', h('187@2025-06-01'))['zoster']!.status).toBe('overdue');

    const early = due('1973-03-05', '2025-07-01', h('187@2025-06-01', '187@2025-06-20'))['zoster']!;
    expect(early.invalidDoses).toEqual([
      {
        date: '2025-06-20',
        cvx: '187',
        why: 'given 19 days after dose 1, before the minimum interval 4 weeks for dose 2 (valid from 2025-06-25 with the 4-day grace period)',
      },
    ]);
    expect(dates(early)).toEqual({ status: 'not_yet_due', nextDose: 2, earliestDate: '2025-07-18', dueDate: '2025-08-01', overdueDate: '2026-01-01' });

    expect(due('1973-03-05', '2025-10-10', h('187@2025-06-01', '187@2025-08-15'))['zoster']).toMatchObject({ status: 'complete', dosesValid: 2 });
    // A dose before age 50 does not count.
    expect(due('1976-03-05', '2025-10-10', h('187@2025-06-01'))['zoster']!.status).toBe('not_applicable');
  });

  it('Td/Tdap: booster due 10 years after the last dose, overdue a year later', () => {
    const r = due('1980-04-10', '2025-10-10', h('115@1991-05-01', '09@2014-05-01'))['tdap-td']!;
    expect(r).toMatchObject({ dosesValid: 2, dosesRequired: 3 });
    expect(dates(r)).toEqual({ status: 'overdue', nextDose: 3, earliestDate: '2014-05-29', dueDate: '2024-05-01', overdueDate: '2025-05-01' });
    expect(r.reason).toBe('dose 3 (Td or Tdap booster) overdue since 2025-05-01 (due from 2024-05-01, 10 years after the last valid dose on 2014-05-01)');

    const current = due('1980-04-10', '2025-10-10', h('115@2020-09-01'))['tdap-td']!;
    expect(dates(current)).toEqual({ status: 'not_yet_due', nextDose: 2, earliestDate: '2020-09-29', dueDate: '2030-09-01', overdueDate: '2031-09-01' });
  });

  it('Td alone does not replace the one-time Tdap dose', () => {
    const r = due('1980-04-10', '2025-10-10', h('09@2018-03-01'))['tdap-td']!;
    expect(dates(r)).toEqual({ status: 'overdue', nextDose: 1, earliestDate: '1990-04-10', dueDate: '1991-04-10', overdueDate: '1993-04-10' });
    expect(r.invalidDoses).toEqual([{ date: '2018-03-01', cvx: '09', why: 'CVX 09 does not count as dose 1 (Tdap); counts: CVX 115' }]);
  });

  it('pneumococcal ≥50: PCV20 completes; PCV15 is followed by PPSV23 a year later', () => {
    expect(due('1970-01-01', '2025-06-01', h('216@2025-01-10'))['pneumococcal-adult']).toMatchObject({ status: 'complete', dosesValid: 1, dosesRequired: 1 });
    const pcv15 = due('1970-01-01', '2025-06-01', h('215@2025-01-10'))['pneumococcal-adult']!;
    expect(pcv15).toMatchObject({ dosesValid: 1, dosesRequired: 2 });
    expect(dates(pcv15)).toEqual({ status: 'not_yet_due', nextDose: 2, earliestDate: '2025-03-07', dueDate: '2026-01-10', overdueDate: '2027-01-10' });
    expect(due('1970-01-01', '2026-02-01', h('215@2025-01-10', '33@2026-01-12'))['pneumococcal-adult']!.status).toBe('complete');
  });
});

describe('HPV', () => {
  it('started before the 15th birthday: 2 doses, dose 2 from 5 months, recommended 6-12 months after dose 1', () => {
    const r = due('2012-03-01', '2024-06-01', h('165@2024-01-15'))['hpv']!;
    expect(r).toMatchObject({ dosesValid: 1, dosesRequired: 2 });
    expect(dates(r)).toEqual({ status: 'not_yet_due', nextDose: 2, earliestDate: '2024-06-15', dueDate: '2024-07-15', overdueDate: '2025-02-15' });
    expect(due('2010-06-10', '2026-01-01', h('165@2025-06-09', '165@2025-12-10'))['hpv']).toMatchObject({
      status: 'complete',
      dosesValid: 2,
      dosesRequired: 2,
    });
  });

  it('started at 15 or older: 3 doses at 0, 1-2 and 6 months', () => {
    const r = due('2008-03-01', '2023-08-01', h('165@2023-06-01'))['hpv']!;
    expect(r).toMatchObject({ dosesValid: 1, dosesRequired: 3 });
    expect(dates(r)).toEqual({ status: 'due', nextDose: 2, earliestDate: '2023-06-29', dueDate: '2023-07-01', overdueDate: '2023-09-01' });
    expect(r.reason).toBe('dose 2 of 3 due from 2023-07-01 (recommended interval 1 month after dose 1)');

    const third = due('2008-03-01', '2024-01-10', h('165@2023-06-01', '165@2023-12-01'))['hpv']!;
    expect(dates(third)).toEqual({ status: 'not_yet_due', nextDose: 3, earliestDate: '2024-02-23', dueDate: '2024-02-23', overdueDate: '2024-02-23' });
    expect(third.reason).toBe('dose 3 of 3 due from 2024-02-23 (minimum interval 12 weeks after dose 2)');
  });

  it('catch-up ends at the 27th birthday', () => {
    const r30 = due('1995-05-20', '2025-10-10')['hpv']!;
    expect(dates(r30)).toEqual({ status: 'not_applicable', nextDose: null, earliestDate: null, dueDate: null, overdueDate: null });
    expect(r30.reason).toBe('not applicable: age 30 is past the HPV catch-up limit (26)');
    expect(dates(due('1998-12-01', '2025-11-30')['hpv'])).toEqual({
      status: 'overdue',
      nextDose: 1,
      earliestDate: '2007-12-01',
      dueDate: '2009-12-01',
      overdueDate: '2011-12-01',
    });
    expect(due('1998-12-01', '2025-12-01')['hpv']!.status).toBe('not_applicable');
  });
});

describe('influenza', () => {
  it('40-year-old in October with the last dose in the previous season: due, overdue from 1 November', () => {
    const history = h('88@2024-10-01');
    const r = due('1985-06-15', '2025-10-10', history)['influenza']!;
    expect(r).toMatchObject({ dosesValid: 0, dosesRequired: 1 });
    expect(dates(r)).toEqual({ status: 'due', nextDose: 1, earliestDate: '2025-08-01', dueDate: '2025-08-01', overdueDate: '2025-11-01' });
    expect(r.reason).toBe('dose 1 of 1 for the 2025-26 season due from 2025-08-01 (start of the 2025-26 season)');
    expect(due('1985-06-15', '2025-11-01', history)['influenza']!.status).toBe('overdue');
    // In July the October dose still covers the 2024-25 season.
    expect(due('1985-06-15', '2025-07-20', history)['influenza']!.status).toBe('complete');
    const done = due('1985-06-15', '2026-03-01', h('88@2024-10-01', '197@2025-10-01'))['influenza']!;
    expect(done).toMatchObject({ status: 'complete', dosesValid: 1, dosesRequired: 1, reason: 'complete for the 2025-26 season: dose given 2025-10-01' });
  });

  it('children under 9 with fewer than 2 earlier doses need 2 doses 4 weeks apart this season', () => {
    const r = due('2022-03-10', '2025-10-20', h('150@2025-09-01'))['influenza']!;
    expect(r).toMatchObject({ dosesValid: 1, dosesRequired: 2 });
    expect(dates(r)).toEqual({ status: 'due', nextDose: 2, earliestDate: '2025-09-29', dueDate: '2025-09-29', overdueDate: '2025-11-01' });
    expect(r.reason).toBe('dose 2 of 2 for the 2025-26 season due from 2025-09-29 (minimum interval 4 weeks after dose 1 of the season)');
    const primed = due('2022-03-10', '2025-10-20', h('150@2023-10-01', '150@2024-10-01', '150@2025-09-01'))['influenza']!;
    expect(primed).toMatchObject({ status: 'complete', dosesValid: 1, dosesRequired: 1 });
  });
});

describe('input handling', () => {
  it('ignores not_done and future records, and reads CVX codes without a leading zero', () => {
    const r = due('2025-01-15', '2025-03-15', [
      { cvx: '8', date: '2025-01-15' },
      { cvx: '20', date: '2025-03-15', status: 'not_done' },
      { cvx: '20', date: '2025-04-01' },
    ]);
    expect(r['hepb']!.dosesValid).toBe(1);
    expect(r['dtap']).toMatchObject({ dosesValid: 0, status: 'due', invalidDoses: [] });
  });

  it('rejects impossible dates and an assessment before birth', () => {
    expect(() => due('2025-02-30', '2025-03-01')).toThrow(/invalid date "2025-02-30"/);
    expect(() => due('2025-03-01', '2025-02-01')).toThrow(/before the birth date/);
    expect(() => due('2025-01-15', '2025-03-01', h('08@2025-13-01'))).toThrow(/invalid date/);
  });
});
