import { BILLING_SETTINGS, npiOf } from './billing-setup';
import type Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { Result } from '../../shared/api/result';
import type { ClaimView } from '../../shared/domain/billing/model';
import type { SyncStatusView } from '../../shared/domain/sync-review';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { clientFor, enrollThisDevice, inProcessSyncLoop } from '../../electron/services/sync';
import { CLINIC, openClinic } from './clinic';
import { signInClinicUsers, startTestServer } from './sync-server';
import { newStore, resourcesDir, tempDir } from './temp-db';

export type Who = { username: string; password: string };
export const BILLER = { username: 'bill', password: 'violet anchor marble kettle' } as const;
export const FRONT = { username: 'frontdesk', password: 'copper meadow lantern nine' } as const;
const DEVICE_B_PASSPHRASE = 'correct horse battery staple';

/** The same billing settings on every device: they live in `meta`, which does not sync (README, "Billing"). */
export const SETTINGS = BILLING_SETTINGS;

/** One device: a real encrypted database, its session, the real dispatcher and its sync loop. */
export interface Device {
  session: Session;
  sqlite: Database.Database;
  call: (channel: string, input?: unknown) => Promise<Result<unknown>>;
  ok: <T>(channel: string, input?: unknown) => Promise<T>;
  /** Syncs as whoever is signed in; fails the test on a sync error. */
  sync: () => Promise<SyncStatusView>;
  /** Signs out whoever is signed in and signs `who` in (the clinic server checks the password). */
  as: (who: Who) => Promise<void>;
  userId: (username: string) => string;
}

export function device(session: Session): Device {
  const loop = inProcessSyncLoop(session.repos.store, session.repos, () => session.status().user?.id ?? null);
  const handlers = createHandlers({ session, sync: loop });
  const call = (c: string, i: unknown = {}): Promise<Result<unknown>> => dispatch(handlers, c, i);
  const ok = async <T>(c: string, i: unknown = {}): Promise<T> => {
    const r = await call(c, i);
    if (!r.ok) expect.fail(`${c} failed: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  return {
    session,
    get sqlite() {
      return session.repos.store.sqlite;
    },
    call,
    ok,
    sync: async () => {
      const s = await ok<SyncStatusView>('sync.now');
      expect(s.error, JSON.stringify(s.error)).toBeNull();
      return s;
    },
    as: async (who) => {
      await ok('session.logout');
      await ok('session.login', who);
    },
    userId: (username) => session.repos.users.list().find((u) => u.username === username)!.id,
  };
}

export interface BillingDevices {
  server: Awaited<ReturnType<typeof startTestServer>>;
  /** The front desk's PC: the clinic's first database (administrator, physician, biller, front desk). */
  a: Device;
  /** The biller's laptop: an empty encrypted database that got the clinic's accounts from the server. */
  b: Device;
  /** A, then B, then A again: both hold everything the server knows. */
  syncAll: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * A clinic server on PGlite and two enrolled devices set up for billing: the staff's accounts, the
 * physician's NPI, a fee schedule and procedure codes (made on A), and the billing settings on both.
 * Device A is left signed in as the front desk, device B as the biller.
 */
export async function billingDevices(): Promise<BillingDevices> {
  const server = await startTestServer('pglite');
  const da = tempDir('cairn-billing-sync-a-');
  const db = tempDir('cairn-billing-sync-b-');
  const clinic = await openClinic(da.dir);
  const a = device(clinic.session);
  await a.as(CLINIC.admin);
  await a.ok('users.create', { ...BILLER, displayName: 'Bea Biller', role: 'billing' });
  await a.ok('users.create', { ...FRONT, displayName: 'Fran Front', role: 'front_desk' });
  await a.ok('users.update', { username: CLINIC.doc.username, npi: npiOf('198765432') });
  await a.ok('billing.setSettings', SETTINGS);
  await a.ok('billing.importFees', {
    kind: 'fees',
    fileName: 'fees.csv',
    csv: 'code,modifier,price\n99213,,125.00\n36415,,12.50\n',
    effectiveFrom: '2026-01-01',
  });
  await a.ok('billing.importFees', { kind: 'cpt', fileName: 'cpt.csv', csv: 'code,description\n99213,Office visit est. low\n36415,Venipuncture\n' });
  const code = (name: string): Promise<{ code: string }> => server.sync.createEnrollmentCode(name);
  await enrollThisDevice(clinic.session.repos.store, clinic.session.repos, {
    serverUrl: server.url,
    code: (await code('Front desk PC')).code,
    deviceName: 'Front desk PC',
  });
  await signInClinicUsers(a.sqlite);
  await a.sync();

  const { store, file } = await newStore(db.dir, DEVICE_B_PASSPHRASE);
  store.close();
  const sb = new Session({ dbFile: file, resourcesDir });
  await sb.unlock(DEVICE_B_PASSPHRASE);
  await enrollThisDevice(sb.repos.store, sb.repos, { serverUrl: server.url, code: (await code('Billing laptop')).code, deviceName: 'Billing laptop' });
  await signInClinicUsers(sb.repos.store.sqlite);
  const docId = a.userId(CLINIC.doc.username);
  expect((await clientFor(sb.repos.store, sb.repos, () => docId).syncOnce()).error).toBeNull();
  const b = device(sb);
  await b.as(CLINIC.admin);
  await b.ok('billing.setSettings', SETTINGS);
  await b.as(BILLER);
  await a.as(FRONT);
  const syncAll = async (): Promise<void> => {
    await a.sync();
    await b.sync();
    await a.sync();
  };
  return {
    server,
    a,
    b,
    syncAll,
    close: async () => {
      sb.close();
      clinic.session.close();
      await server.stop();
      da.cleanup();
      db.cleanup();
    },
  };
}

const DAY = 86_400_000;
const isoDaysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();

/** Every synced column of a patient's ledger as stored, with SQLite's type of each amount. */
export const ledgerRows = (d: Device, patientId: string): unknown[] =>
  d.sqlite
    .prepare(
      `SELECT id, kind, party, amount_cents, typeof(amount_cents) AS amount_type, posted_at, claim_id, claim_line_id, payer_ref, method,
              reference, adjustment_group, adjustment_reason, remittance_id, reverses_id, memo, created_by
         FROM ledger_entries WHERE patient_id = ? ORDER BY id`,
    )
    .all(patientId);

export const amountOn = (d: Device, entryId: string): number =>
  (d.sqlite.prepare('SELECT amount_cents FROM ledger_entries WHERE id = ?').get(entryId) as { amount_cents: number }).amount_cents;

/** The physician finishes a visit and saves its superbill on `d`; returns the claim. */
export async function billedVisit(d: Device, patientId: string, daysAgo: number): Promise<ClaimView> {
  await d.as(CLINIC.doc);
  const v = await d.ok<{ id: string }>('encounters.create', { patientId, visitType: 'office_visit', startAt: isoDaysAgo(daysAgo) });
  await d.ok('encounters.setStatus', { id: v.id, status: 'finished' });
  return d.ok<ClaimView>('billing.superbill', {
    encounterId: v.id,
    diagnoses: ['I10', 'E11.9'],
    lines: [
      { code: '99213', pointers: [1, 2] },
      { code: '36415', pointers: [2] },
    ],
  });
}
