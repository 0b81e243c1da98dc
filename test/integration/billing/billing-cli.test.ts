import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/services/dispatch';
import { createHandlers } from '../../../electron/services/handlers';
import { Session } from '../../../electron/services/session';
import type { Result } from '../../../shared/api/result';
import { npiOf } from '../../helpers/billing-setup';
import { readInterchange } from '../../../shared/x12';
import { CLI_ENV, cairn } from '../../helpers/cli';
import { era835, isa } from '../../helpers/era';
import { resourcesDir, tempDir } from '../../helpers/temp-db';

// The billing command line exactly as issue #20 names it, through the real `cairn` (one process per
// command, ~1–2 s each, so the commands are few and each one checks all it prints).

const DOC_NPI = npiOf('198765432');
/** The CLI dates the superbill's checks by the real clock: the visit is ten days ago. */
const today = new Date().toISOString().slice(0, 10);
const visitDay = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);

interface ClaimOut {
  id: string;
  claimNumber: string;
  status: string;
  totalCents: number;
  findings: { severity: string; message: string }[];
  lines: { code: string; units: number; modifiers: string[]; chargeCents: number }[];
  renderingNpi: string;
}

/** Runs a command that must succeed and returns its JSON output. */
function ok<T>(args: string[]): T {
  const r = cairn(args);
  expect(r.err, args.slice(0, 2).join(' ')).toBe('');
  expect(r.code, args.slice(0, 2).join(' ')).toBe(0);
  return JSON.parse(r.out) as T;
}

describe('cairn billing: set-up, the superbill, an 837P batch, replies, eligibility and A/R from the command line', () => {
  const t = tempDir('cairn-billing-cli-');
  const db = join(t.dir, 'clinic.cairn');
  const file = (name: string, text?: string): string => {
    const p = join(t.dir, name);
    if (text !== undefined) writeFileSync(p, text);
    return p;
  };
  let patient: string;
  let visit: string;
  let claim: ClaimOut;
  let control: number;
  let adminId = '';
  let bareVisit: string | undefined;

  beforeAll(() => {
    adminId = ok<{ admin: { id: string } }>(['init', '--db', db, '--admin', 'alice', '--clinic', 'Hilltop Family Medicine']).admin.id;
    const p = ok<{ id: string }>(['patients', 'add', '--db', db, '--given', 'Jane', '--family', 'Synthetic', '--birth-date', '1980-02-03', '--sex', 'female']);
    patient = p.id;
  });
  afterAll(() => t.cleanup());

  it('sets up billing, a payer, the patient’s coverage, the fee schedule and the CPT file', () => {
    const s = ok<{ billingNpi: string; zip: string; acceptAssignment: string; usage: string }>([
      ...['billing', 'settings', '--db', db, '--name', 'Hilltop Family Medicine', '--npi', npiOf('123456789'), '--tax-id', '12-3456789'],
      ...['--address', '12 Main St', '--city', 'Springfield', '--state', 'IL', '--zip', '627011234', '--phone', '2175550100'],
      ...['--submitter-id', 'HILLTOP', '--submitter-contact', 'Bea Biller', '--receiver-name', 'Demo Clearinghouse', '--receiver-id', 'DEMOCH'],
      ...['--assignment', 'C', '--benefits', 'N'],
    ]);
    expect(s).toMatchObject({ billingNpi: npiOf('123456789'), zip: '627011234', acceptAssignment: 'C', usage: 'T' });
    const payer = ok<{ id: string; name: string; payerId: string; filingIndicator: string }>([
      ...['billing', 'payer', 'add', '--db', db, '--name', 'Acme Health', '--payer-id', 'ACME1', '--filing', 'CI'],
    ]);
    expect(payer).toMatchObject({ name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI' });
    expect(payer.id).toMatch(/^[0-9a-f-]{36}$/);
    // --payer takes the directory's payer id as the front desk reads it off the card.
    const cov = ok<{ patientId: string; rank: string; memberId: string; groupNumber: string; payerName: string }>([
      ...['billing', 'coverage', 'add', '--db', db, '--patient', patient, '--payer', 'ACME1', '--member', 'MEM123', '--group', 'G77', '--rank', 'primary'],
    ]);
    expect(cov).toMatchObject({ patientId: patient, rank: 'primary', memberId: 'MEM123', groupNumber: 'G77', payerName: 'Acme Health' });
    const fees = file('fees.csv', 'code,modifier,price\n99213,,125.00\n99213,25,130.00\n36415,,12.50\n');
    expect(ok(['billing', 'fees', 'import', '--db', db, fees, '--from', '2026-01-01'])).toEqual({ imported: 3 });
    const cpt = file('cpt.csv', 'code,description\n99213,Office visit est. low\n36415,Venipuncture\n');
    expect(ok(['codes', 'import', 'cpt', '--db', db, cpt])).toEqual({ imported: 2 });
  });

  it('a finished visit’s superbill prints the claim, priced and scrubbed', () => {
    // --provider names the admin created by init (the visit without it is tested on its own below).
    visit = ok<{ id: string; status: string }>([
      'visits',
      'add',
      '--db',
      db,
      '--patient',
      patient,
      '--date',
      visitDay,
      '--type',
      'office',
      '--provider',
      adminId,
    ]).id;
    expect(ok<{ status: string }>(['visits', 'finish', '--db', db, '--visit', visit]).status).toBe('finished');
    claim = ok<ClaimOut>([
      ...['billing', 'superbill', '--db', db, '--visit', visit, '--dx', 'I10,E11.9'],
      ...['--line', '99213:1:25', '--line', '36415:2', '--rendering-npi', DOC_NPI],
    ]);
    expect(claim.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(claim.status).toBe('ready');
    expect(claim.renderingNpi).toBe(DOC_NPI);
    // The modifier picks its own price; two units of venipuncture are twice the fee.
    expect(claim.lines.map((l) => [l.code, l.units, l.modifiers, l.chargeCents])).toEqual([
      ['99213', 1, ['25'], 13000],
      ['36415', 2, [], 2500],
    ]);
    expect(claim.totalCents).toBe(15500);
  });

  it('batches the ready claim into an 837P file that reads back with its CLM', () => {
    const out = file('batch.837');
    const b = ok<{ controlNumber: number; claimCount: number; totalCents: number; file: string }>([
      'billing',
      'claims',
      '--db',
      db,
      '--status',
      'ready',
      '--out',
      out,
    ]);
    expect(b).toMatchObject({ claimCount: 1, totalCents: 15500, file: out });
    control = b.controlNumber;
    const text = readFileSync(out, 'latin1');
    const env = readInterchange(text);
    expect(env.ok, JSON.stringify(env)).toBe(true);
    if (env.ok) expect(Number(env.value.control)).toBe(control);
    expect(text).toMatch(new RegExp(`~\\s*CLM\\*${claim.claimNumber}\\*155\\*\\*\\*11:B:1\\*Y\\*C\\*N\\*Y~`));
    expect(text).toContain('HI*ABK:I10*ABF:E119');
    expect(text).toContain('SV1*HC:99213:25*130*UN*1***1:2');
  });

  it('imports the 999 and the 835 (one JSON line each), writes a 270 and reports A/R', () => {
    const ack = file(
      'ack.999',
      [
        isa('DEMOCH', 'HILLTOP', 501),
        'GS*FA*DEMOCH*HILLTOP*20261201*1200*501*X*005010X231A1',
        'ST*999*0001*005010X231A1',
        `AK1*HC*${control}*005010X222A1`,
        'AK2*837*0001*005010X222A1',
        'IK5*A',
        'AK9*A*1*1*1',
        'SE*6*0001',
        'GE*1*501',
        'IEA*1*000000501',
      ].join('~\n') + '~\n',
    );
    const lines = [
      {
        code: '99213',
        chargeCents: 13000,
        paidCents: 9000,
        adjustments: [
          { group: 'CO', reason: '45', cents: 2000 },
          { group: 'PR', reason: '2', cents: 2000 },
        ],
      },
      { code: '36415', chargeCents: 2500, paidCents: 2000, adjustments: [{ group: 'CO', reason: '45', cents: 500 }] },
    ];
    const era = file('acme.835', era835([{ claimNumber: claim.claimNumber, chargeCents: 15500, paidCents: 11000, payerClaimNumber: 'ACME-9', lines }]));
    const r = cairn(['billing', 'import', '--db', db, ack, era]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const reports = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({ fileName: 'ack.999', type: '999', controlNumber: '000000501', claimsMatched: 1, errors: [] });
    expect(reports[1]).toMatchObject({ fileName: 'acme.835', type: '835', controlNumber: '000000101', claimsMatched: 1, claimsUnmatched: 0 });
    expect(reports[1]).toMatchObject({ postedCents: 11000, duplicate: false, errors: [] });

    const out270 = file('inquiry.270');
    const e = ok<{ file: string; fileName: string }>(['billing', 'eligibility', '--db', db, '--patient', patient, '--out', out270]);
    expect(e.file).toBe(out270);
    const inquiry = readFileSync(out270, 'latin1');
    expect(readInterchange(inquiry).ok).toBe(true);
    expect(inquiry).toMatch(/~\s*ST\*270\*/);
    expect(inquiry).toMatch(/NM1\*IL\*1\*Synthetic\*Jane\*+MI\*MEM123/i);

    // 155.00 − 110.00 paid − 25.00 written off: 20.00 coinsurance, the patient's (no secondary), in the 0–30 bucket.
    const ar = ok<{ asOf: string; totals: number[]; totalCents: number; byPayer: unknown[]; byPatient: { name: string; buckets: number[] }[] }>([
      ...['report', 'ar', '--db', db, '--as-of', today],
    ]);
    expect(ar).toMatchObject({ asOf: today, totals: [2000, 0, 0, 0, 0], totalCents: 2000, byPayer: [] });
    expect(ar.byPatient).toEqual([expect.objectContaining({ name: 'Jane Synthetic', buckets: [2000, 0, 0, 0, 0] })]);
  });

  it('opens a visit without --provider, exactly as the issue names the command', () => {
    // The command-line operator is no user: the visit must not name it as its provider.
    const r = cairn(['visits', 'add', '--db', db, '--patient', patient, '--date', visitDay]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { id: string; patientId: string; visitType: string };
    expect(v).toMatchObject({ patientId: patient, visitType: 'office_visit' });
    bareVisit = v.id;
  });

  it('refuses bad input with exit code ≠ 0 and one clear line on stderr, and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['billing', 'payer', 'add', '--db', db, '--name', 'Beta Care', '--filing', 'CI'], /^cairn: missing --payer-id \(see cairn --help\)\n$/],
      [
        ['billing', 'superbill', '--db', db, '--visit', visit, '--dx', 'I10', '--line', '99213:0', '--rendering-npi', DOC_NPI],
        /^cairn: --line takes CODE\[:UNITS\[:MODIFIERS\]\] such as 99213 or 99213:1:25, got "99213:0"\n$/,
      ],
      [['visits', 'add', '--db', db, '--patient', patient, '--date', '2026-02-30'], /^cairn: --date must be a date as YYYY-MM-DD, got "2026-02-30"\n$/],
      [
        ['billing', 'coverage', 'add', '--db', db, '--patient', patient, '--payer', 'NOPE1', '--member', 'X1', '--rank', 'secondary'],
        /^cairn: no payer "NOPE1" in the directory: add it with cairn billing payer add\n$/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = cairn(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.out, args.join(' ')).toBe('');
    }
    // Nothing was written: read the same encrypted file back through the real handlers.
    expect(existsSync(db)).toBe(true);
    const session = new Session({ dbFile: db, resourcesDir });
    const call = async <T>(c: string, i: unknown = {}): Promise<T> => {
      const r: Result<unknown> = await dispatch(createHandlers({ session }), c, i);
      if (!r.ok) expect.fail(`${c}: ${r.error.message}`);
      return r.value as T;
    };
    try {
      await call('session.unlock', { passphrase: CLI_ENV.CAIRN_PASSPHRASE });
      session.actAsOperator('billing-cli-test');
      expect((await call<{ payerId: string }[]>('billing.payers')).map((p) => p.payerId)).toEqual(['ACME1']);
      expect((await call<{ rank: string }[]>('billing.coverages', { patientId: patient })).map((c) => c.rank)).toEqual(['primary']);
      const claims = await call<{ claimNumber: string; status: string }[]>('billing.claims', { patientId: patient });
      expect(claims.map((c) => [c.claimNumber, c.status])).toEqual([[claim.claimNumber, 'paid']]);
      const visits = await call<{ id: string }[]>('encounters.list', { patientId: patient });
      // The refused visit is not there (the one opened without --provider is, once that command works).
      expect(visits.map((v) => v.id).sort()).toEqual([visit, ...(bareVisit ? [bareVisit] : [])].sort());
    } finally {
      session.close();
    }
  });
});
