import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../electron/common/ids';
import { BillingService } from '../../../electron/services/billing/billing.service';
import { writeBillingSettings } from '../../../electron/services/billing/billing-settings';
import { claimNumberOf } from '../../../electron/services/billing/claims.repo';
import type { Store } from '../../../electron/services/db/open';
import { createRepos, type Repos } from '../../../electron/services/repos';
import { billingSettings } from '../../../shared/domain/billing/settings';
import { patientInput } from '../../../shared/domain/patient';
import { decodeStoredClocks } from '../../../shared/sync/compact-clocks';
import type { Fields } from '../../../shared/sync/entities';
import { BILLING_SETTINGS, DOC_NPI } from '../../helpers/billing-setup';
import { combine835, era835, officeVisitPaid, type EraClaim } from '../../helpers/era';
import { newStore, tempDir } from '../../helpers/temp-db';

// ERA posting reads what every claim payment needs once per file and writes the rows together
// (electron/services/billing/era-posting.ts). These are the cases where a claim payment depends on
// another one in the same file, or on what was posted before, over a real encrypted database.

interface Entry {
  claim: string;
  line: string | null;
  kind: string;
  party: string;
  payer: string | null;
  cents: number;
  adjustment: string | null;
  reference: string | null;
  memo: string | null;
}

describe('ERA posting: every claim payment of a file, posted together', () => {
  const t = tempDir('cairn-era-posting-');
  let store: Store;
  let repos: Repos;
  let billing: BillingService;
  const actor = { userId: '' };
  const names = new Map<string, string>();
  const numbers = new Map<string, string>();
  const ids = new Map<string, string>();
  const patients: string[] = [];

  const sql = <T>(q: string, ...params: unknown[]): T[] => store.sqlite.prepare(q).all(...params) as T[];
  const imp = (name: string, text: string): ReturnType<BillingService['import']> => billing.import(name, text, actor);
  const claim = (label: string): Record<string, string | number | null> =>
    sql<Record<string, string | number | null>>('SELECT * FROM claims WHERE id = ?', ids.get(label))[0]!;
  const entries = (label: string, trace?: string): Entry[] =>
    sql<Record<string, string | number | null>>(
      `SELECT l.* FROM ledger_entries l LEFT JOIN remittances r ON r.id = l.remittance_id
        WHERE l.claim_id = ? AND l.kind <> 'charge' AND (? IS NULL OR r.trace_number = ?) ORDER BY l.rowid`,
      ids.get(label),
      trace ?? null,
      trace ?? null,
    ).map((r) => ({
      claim: label,
      line: r['claim_line_id'] ? names.get(String(r['claim_line_id']))! : null,
      kind: String(r['kind']),
      party: String(r['party']),
      payer: r['payer_ref'] ? names.get(String(r['payer_ref']))! : null,
      cents: Number(r['amount_cents']),
      adjustment: r['adjustment_group'] ? `${String(r['adjustment_group'])}-${String(r['adjustment_reason'])}` : null,
      reference: r['reference'] as string | null,
      memo: r['memo'] as string | null,
    }));
  const history = (label: string): string[] =>
    sql<{ status: string; detail: string }>('SELECT status, detail FROM claim_events WHERE claim_id = ? ORDER BY rowid', ids.get(label)).map(
      (e) => `${e.status}: ${e.detail}`,
    );
  const twoLines: [string, number][] = [
    ['99213', 12500],
    ['36415', 1250],
  ];

  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
    billing = new BillingService(repos, () => new Date('2026-12-01T15:00:00Z'));
    const at = '2026-12-01T15:00:00.000Z';
    actor.userId = newId();
    store.sqlite
      .prepare(
        `INSERT INTO users (id, username, display_name, role, password_hash, npi, created_at, created_by, updated_at, updated_by) VALUES (?, 'doc', 'Dr. Era', 'physician', 'x', ?, ?, 'x', ?, 'x')`,
      )
      .run(actor.userId, DOC_NPI, at, at);
    writeBillingSettings(store.sqlite, repos.audit, billingSettings.parse(BILLING_SETTINGS), actor.userId, at);
    const acme = billing.payers.add({ name: 'Acme', payerId: 'ACME1', filingIndicator: 'CI' }, actor);
    const state = billing.payers.add({ name: 'State Medicaid', payerId: 'MCD1', filingIndicator: 'MC' }, actor);
    names.set(acme.id, 'acme').set(state.id, 'medicaid');
    const coverages: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = repos.patients.create(patientInput.parse({ givenName: `Era${i}`, familyName: 'Synthetic', birthDate: '1970-01-01', sex: 'female' }), actor);
      patients.push(p.id);
      coverages.push(billing.coverage.add({ patientId: p.id, payerRef: acme.id, rank: 'primary', memberId: `M${i}`, relationship: 'self' }, actor).id);
    }
    // Patient 1 has a secondary payer: the patient share of their claims goes to it.
    billing.coverage.add({ patientId: patients[1]!, payerRef: state.id, rank: 'secondary', memberId: 'S1', relationship: 'self' }, actor);
    const insert = store.sqlite.prepare(
      `INSERT INTO claims (id, claim_number, patient_id, coverage_id, payer_rank, status, frequency, service_date, place_of_service, diagnoses, rendering_id, rendering_npi, total_cents, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, 1, 'ready', '1', '2026-11-20', '11', '["I10"]', ?, ?, ?, ?, ?, ?, ?)`,
    );
    const line = store.sqlite.prepare(
      `INSERT INTO claim_lines (id, claim_id, patient_id, line_number, code, units, charge_cents, pointers, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 1, ?, '1', ?, ?, ?, ?)`,
    );
    const charge = store.sqlite.prepare(
      `INSERT INTO ledger_entries (id, patient_id, claim_id, claim_line_id, kind, party, payer_ref, amount_cents, posted_at, service_date, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, 'charge', 'insurance', ?, ?, ?, '2026-11-20', ?, ?, ?, ?)`,
    );
    const seed = (label: string, p: number, lines: [string, number][]): void => {
      const id = newId();
      const u = actor.userId;
      insert.run(
        id,
        claimNumberOf(id),
        patients[p],
        coverages[p],
        u,
        DOC_NPI,
        lines.reduce((s, l) => s + l[1], 0),
        at,
        u,
        at,
        u,
      );
      ids.set(label, id);
      numbers.set(label, claimNumberOf(id));
      lines.forEach(([code, cents], i) => {
        const lineId = newId();
        names.set(lineId, code);
        line.run(lineId, id, patients[p], i + 1, code, cents, at, u, at, u);
        charge.run(newId(), patients[p], id, lineId, acme.id, cents, at, at, u, at, u);
      });
    };
    seed('A', 0, twoLines);
    seed('B', 1, twoLines);
    seed('C', 2, twoLines);
    seed('D', 3, twoLines);
    seed('E', 0, twoLines);
    seed('H', 2, twoLines);
    // Enough claims that a file paying them all is written in several pieces (era-posting.ts writes 256 claims at a time).
    for (let n = 0; n < 600; n++) seed(`M${n}`, 4, twoLines);
    expect(billing.batch(actor).claimCount).toBe(606);
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  it('posts payments, write-offs, patient shares, denials and claim-level payments; a stray payment is queued once', () => {
    const stray: EraClaim = { claimNumber: 'CSTRAY0000000001', chargeCents: 5000, paidCents: 4000, payerClaimNumber: 'Q1', lines: [] };
    const denied = (n: string, status: string | undefined, reason: string): EraClaim => ({
      claimNumber: n,
      ...(status ? { status } : {}),
      chargeCents: 13750,
      paidCents: 0,
      payerClaimNumber: `P-${reason}`,
      lines: twoLines.map(([code, cents]) => ({ code, chargeCents: cents, paidCents: 0, adjustments: [{ group: 'CO', reason, cents }] })),
    });
    const era = era835(
      [
        officeVisitPaid(numbers.get('A')!, 'PA'),
        officeVisitPaid(numbers.get('B')!, 'PB'),
        denied(numbers.get('C')!, '4', '50'),
        denied(numbers.get('D')!, undefined, '97'),
        { claimNumber: numbers.get('E')!, chargeCents: 13750, paidCents: 5000, payerClaimNumber: 'PE', lines: [] },
        stray,
        { ...stray },
      ],
      { control: 101 },
    );
    const r = imp('era1.835', era);
    expect(r).toMatchObject({ errors: [], claimsMatched: 5, claimsUnmatched: 2, postedCents: 21000, duplicate: false });
    const secondary = /secondary claim\(s\) (C[0-9A-Z]+)/.exec(r.summary)![1]!;
    const base = { claim: 'A', payer: 'acme', reference: 'PA', memo: null };
    expect(entries('A')).toEqual([
      { ...base, line: '99213', kind: 'payment', party: 'insurance', cents: -7000, adjustment: null },
      { ...base, line: '99213', kind: 'adjustment', party: 'insurance', cents: -3500, adjustment: 'CO-45' },
      { ...base, line: '99213', kind: 'transfer', party: 'insurance', cents: -2000, adjustment: 'PR-2', memo: 'to patient' },
      { ...base, line: '99213', kind: 'transfer', party: 'patient', cents: 2000, adjustment: 'PR-2', payer: null },
      { ...base, line: '36415', kind: 'payment', party: 'insurance', cents: -1000, adjustment: null },
      { ...base, line: '36415', kind: 'adjustment', party: 'insurance', cents: -250, adjustment: 'CO-45' },
    ]);
    // B's patient share goes to the secondary payer, whose claim is opened ready for the next batch.
    expect(entries('B').filter((e) => e.kind === 'transfer')).toEqual([
      {
        claim: 'B',
        line: '99213',
        kind: 'transfer',
        party: 'insurance',
        payer: 'acme',
        cents: -2000,
        adjustment: 'PR-2',
        reference: 'PB',
        memo: 'to secondary',
      },
      { claim: 'B', line: '99213', kind: 'transfer', party: 'insurance', payer: 'medicaid', cents: 2000, adjustment: 'PR-2', reference: 'PB', memo: null },
    ]);
    expect(billing.claims.byNumber(secondary)).toMatchObject({ payer_rank: 2, status: 'ready', related_claim_id: ids.get('B') });
    expect(billing.ledger.balance(patients[1]!)).toEqual({ patient: 0, insurance: 2000 });
    expect(claim('A')).toMatchObject({ status: 'paid', paid_cents: 8000, patient_responsibility_cents: 2000, payer_claim_number: 'PA' });
    expect(claim('C')).toMatchObject({ status: 'denied', paid_cents: 0 });
    expect(claim('D')).toMatchObject({ status: 'denied', paid_cents: 0 });
    // Paid at claim level only: one claim payment; Acme still owes the rest, so partially paid.
    expect(entries('E')).toEqual([
      { claim: 'E', line: null, kind: 'payment', party: 'insurance', payer: 'acme', cents: -5000, adjustment: null, reference: 'PE', memo: null },
    ]);
    expect(claim('E')).toMatchObject({ status: 'partially_paid', paid_cents: 5000 });
    expect(history('A')).toEqual([expect.stringMatching(/^submitted: in batch \d+$/), 'paid: ERA PA: paid 8000, patient 2000; CO-45 PR-2']);
    expect(history('C').at(-1)).toBe('denied: ERA P-50: paid 0, patient 0; CO-50');
    expect(billing.claims.unmatchedQueue().map((u) => u.patientControlNumber)).toEqual(['CSTRAY0000000001']);
    expect(imp('era1-again.835', era)).toMatchObject({ duplicate: true, postedCents: 0 });
  });

  it('refuses a claim payment posted before, from another file or earlier in the same one, and posts nothing of that file', () => {
    const before = sql<{ n: number }>('SELECT count(*) AS n FROM ledger_entries')[0]!.n;
    const other = imp('again.835', era835([officeVisitPaid(numbers.get('H')!, 'PH'), officeVisitPaid(numbers.get('A')!, 'PA')], { control: 102 }));
    expect(other.errors).toEqual([
      `CLP segment of claim 2 (${numbers.get('A')!}): this claim payment was already posted from ERA TRACE101 of 2026-12-01; nothing in this file was posted`,
    ]);
    const twice = imp('twice.835', era835([officeVisitPaid(numbers.get('H')!, 'PH'), officeVisitPaid(numbers.get('H')!, 'PH')], { control: 103 }));
    expect(twice.errors).toEqual([
      `CLP segment of claim 2 (${numbers.get('H')!}): this claim payment was already posted from ERA TRACE103 of 2026-12-01; nothing in this file was posted`,
    ]);
    expect(sql<{ n: number }>('SELECT count(*) AS n FROM ledger_entries')[0]!.n).toBe(before);
    expect(claim('H')).toMatchObject({ status: 'submitted', paid_cents: 0 });
  });

  it('a refusal after hundreds of claim payments were written posts nothing of the file', () => {
    const count = (t: string): number => sql<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)[0]!.n;
    const tables = ['ledger_entries', 'sync_outbox', 'sync_state', 'audit_log', 'claim_events', 'remittances'];
    const before = tables.map(count);
    const many = Array.from({ length: 600 }, (_, n) => officeVisitPaid(numbers.get(`M${n}`)!, `PM${n}`));
    const r = imp('late-refusal.835', era835([...many, officeVisitPaid(numbers.get('A')!, 'PA')], { control: 110 }));
    expect(r.errors).toEqual([
      `CLP segment of claim 601 (${numbers.get('A')!}): this claim payment was already posted from ERA TRACE101 of 2026-12-01; nothing in this file was posted`,
    ]);
    expect(tables.map(count)).toEqual(before);
    expect(claim('M0')).toMatchObject({ status: 'submitted', paid_cents: 0, version: 2 });
    // Without the repeated payment the same claims post, every one of them.
    const ok = imp('all.835', era835(many, { control: 111 }));
    expect(ok).toMatchObject({ errors: [], claimsMatched: 600, postedCents: 600 * 8000 });
    expect(claim('M599')).toMatchObject({ status: 'paid', paid_cents: 8000, patient_responsibility_cents: 2000 });
    expect(billing.ledger.balance(patients[4]!)).toEqual({ patient: 600 * 2000, insurance: 0 });
    expect(count('ledger_entries') - before[0]!).toBe(600 * 6);
    expect(count('claim_events') - before[4]!).toBe(600);
  });

  it('a claim paid twice in one file (split by the payer) adds both payments and sees the first when it decides the status', () => {
    const first: EraClaim = {
      claimNumber: numbers.get('H')!,
      chargeCents: 13750,
      paidCents: 3000,
      payerClaimNumber: 'PH1',
      lines: [{ code: '99213', chargeCents: 12500, paidCents: 3000, adjustments: [] }],
    };
    const rest = officeVisitPaid(numbers.get('H')!, 'PH2');
    const second: EraClaim = { ...rest, paidCents: 5000, lines: [{ ...rest.lines[0]!, paidCents: 4000 }, rest.lines[1]!] };
    const r = imp('split.835', era835([first, second], { control: 104 }));
    expect(r).toMatchObject({ errors: [], claimsMatched: 2, postedCents: 8000 });
    expect(claim('H')).toMatchObject({ status: 'paid', paid_cents: 8000, patient_responsibility_cents: 2000, payer_claim_number: 'PH2', version: 4 });
    expect(history('H').slice(1)).toEqual(['partially_paid: ERA PH1: paid 3000, patient 0', 'paid: ERA PH2: paid 5000, patient 2000; CO-45 PR-2']);
    expect(billing.ledger.balance(patients[2]!)).toEqual({ patient: 2000, insurance: 0 });
  });

  it('a reversal (CLP02 22) takes the payment back and returns the claim to submitted; the corrected payment in the same file posts', () => {
    const r = imp(
      'reversal.835',
      era835([{ ...officeVisitPaid(numbers.get('A')!, 'PA'), status: '22' }, officeVisitPaid(numbers.get('A')!, 'PA2')], { control: 105 }),
    );
    expect(r).toMatchObject({ errors: [], claimsMatched: 2, postedCents: 16000 });
    expect(entries('A', 'TRACE105').map((e) => [e.reference, e.kind, e.party, e.cents])).toEqual([
      ['PA', 'payment', 'insurance', 7000],
      ['PA', 'adjustment', 'insurance', 3500],
      ['PA', 'transfer', 'insurance', 2000],
      ['PA', 'transfer', 'patient', -2000],
      ['PA', 'payment', 'insurance', 1000],
      ['PA', 'adjustment', 'insurance', 250],
      ['PA2', 'payment', 'insurance', -7000],
      ['PA2', 'adjustment', 'insurance', -3500],
      ['PA2', 'transfer', 'insurance', -2000],
      ['PA2', 'transfer', 'patient', 2000],
      ['PA2', 'payment', 'insurance', -1000],
      ['PA2', 'adjustment', 'insurance', -250],
    ]);
    expect(history('A').slice(-2)).toEqual(['submitted: ERA PA: paid 8000, patient 2000; CO-45 PR-2', 'paid: ERA PA2: paid 8000, patient 2000; CO-45 PR-2']);
    expect(claim('A')).toMatchObject({ status: 'paid', paid_cents: 8000, patient_responsibility_cents: 2000, payer_claim_number: 'PA2' });
    expect(billing.ledger.balance(patients[0]!)).toEqual({ patient: 2000, insurance: 8750 });
    const alone = imp(
      'reversal-only.835',
      era835([{ ...officeVisitPaid(numbers.get('E')!, 'PE'), paidCents: 5000, lines: [], status: '22' }], { control: 106 }),
    );
    expect(alone.errors).toEqual([]);
    expect(claim('E')).toMatchObject({ status: 'submitted', paid_cents: 0 });
  });

  it('a file of several 835s posts them together; a stray payment is matched by hand', () => {
    const stray: EraClaim = { claimNumber: 'CSTRAY0000000002', chargeCents: 13750, paidCents: 4000, payerClaimNumber: 'Q2', lines: [] };
    const r = imp('two.835', combine835([era835([officeVisitPaid(numbers.get('D')!, 'PD2')], { control: 107 }), era835([stray], { control: 108 })]));
    expect(r).toMatchObject({ errors: [], claimsMatched: 1, claimsUnmatched: 1, postedCents: 8000 });
    const queued = billing.claims.unmatchedQueue().find((u) => u.patientControlNumber === 'CSTRAY0000000002')!;
    expect(billing.resolveUnmatched(queued.id, ids.get('E')!, 'a mistyped claim number', actor)).toEqual({ claimNumber: numbers.get('E') });
    expect(claim('E')).toMatchObject({ status: 'partially_paid', paid_cents: 4000, payer_claim_number: 'Q2' });
    expect(() => billing.resolveUnmatched(queued.id, ids.get('E')!, 'again', actor)).toThrow(/already posted/);
  });

  it('leaves every row synced and audited: one outbox entry per ledger entry and history row, the claims as this device knows them', () => {
    const missing = sql<{ id: string }>(
      `SELECT id FROM ledger_entries WHERE id NOT IN (SELECT entity_id FROM sync_outbox WHERE entity = 'ledger_entry') AND kind <> 'charge'
       UNION ALL SELECT id FROM claim_events WHERE id NOT IN (SELECT entity_id FROM sync_outbox WHERE entity = 'claim_event')`,
    );
    expect(missing).toEqual([]);
    for (const label of ['A', 'B', 'C', 'D', 'E', 'H']) {
      const id = ids.get(label)!;
      const stored = claim(label);
      const s = sql<{ data: string; clocks: string }>(`SELECT data, clocks FROM sync_state WHERE entity = 'claim' AND entity_id = ?`, id)[0]!;
      const synced = Object.fromEntries(Object.entries(stored).filter(([k]) => k !== 'version'));
      expect(s.data).toBe(JSON.stringify(synced));
      // Each change carries the columns that changed, with the clocks this device knew of exactly those.
      const changes = sql<{ op: string; payload: string; base: string; hlc: string }>(
        `SELECT op, payload, base, hlc FROM sync_outbox WHERE entity = 'claim' AND entity_id = ? ORDER BY seq`,
        id,
      );
      expect(changes[0]!.op).toBe('insert');
      let known: Fields = JSON.parse(changes[0]!.payload) as Fields;
      for (const c of changes.slice(1)) {
        const fields = JSON.parse(c.payload) as Fields;
        expect(c.op).toBe('update');
        expect(Object.keys(JSON.parse(c.base) as object).sort()).toEqual(Object.keys(fields).sort());
        known = { ...known, ...fields };
      }
      expect(known).toEqual(synced);
      expect(Object.values(decodeStoredClocks(s.clocks, JSON.parse(s.data) as Fields))).toContain(changes.at(-1)!.hlc);
    }
    // One audit entry per claim posting, naming the ERA and the amounts; the chain is whole.
    const audit = sql<{ action: string; detail: string }>(`SELECT action, detail FROM audit_log WHERE record_id = ? ORDER BY seq`, ids.get('H'));
    expect(audit.map((a) => `${a.action} ${a.detail}`).slice(-2)).toEqual([
      'billing.claim.partially_paid ERA PH1: paid 3000, patient 0',
      'billing.claim.paid ERA PH2: paid 5000, patient 2000; CO-45 PR-2',
    ]);
    expect(repos.audit.verify().problems).toEqual([]);
  });
});
