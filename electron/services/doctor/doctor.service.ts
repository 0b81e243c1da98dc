import type Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CairnFailure } from '../../../shared/api/result';
import { reportOf, type DoctorReport } from '../../../shared/domain/doctor';
import { readAttached, readWithKey } from '../backup/verify';
import { DEVICE_KEYS } from '../provision/device-settings';
import { openRawWithKey, resolveKey, type Store } from '../db/open';
import { runDoctor } from './checks';
import { DEFAULT_LIMITS, fail, unknown, type DeviceAccess, type DoctorContext, type DoctorLimits, type LabAccess, type Outcome } from './context';
import type { VolumeProbeOptions } from './encrypted-volume';
import { probeServer, type ServerAnswer } from './server-probe';

/** How long the doctor waits for the clinic server before it reports it unreachable. */
export const DEFAULT_SERVER_TIMEOUT_MS = 3000;

export interface DoctorOptions {
  dataDir?: string | undefined;
  db?: string | undefined;
  /** The clinic passphrase of `db` (and of the lab interface's database when it has no passphrase file); null when none was given. */
  passphrase: string | null;
  /** Why there is no passphrase, for the report. */
  noPassphrase?: string;
  /** The server to ask; default: the one the device is enrolled with, else the one running on `dataDir`. */
  serverUrl?: string | undefined;
  /** The URL of the server running on `dataDir` (from its running-server file), or null when none runs. */
  runningServerUrl?: string | null | undefined;
  /** The clinic CA, to say whether the server's certificate is trusted. */
  ca?: Buffer | undefined;
  certFiles?: string[];
  backupDirs?: string[];
  timeoutMs?: number;
  resourcesDir: string;
  now?: () => Date;
  limits?: Partial<DoctorLimits>;
  probe?: VolumeProbeOptions;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The desktop app's clinic-server.json beside the database, when this device runs the embedded
 * clinic server: its data folder and the certificate files it names (read loosely: only paths).
 */
function embeddedServer(db: string): { dataDir: string; certFiles: string[] } | null {
  const file = join(dirname(db), 'clinic-server.json');
  if (!existsSync(file)) return null;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as { tlsCert?: unknown; mllp?: { tlsCert?: unknown } };
    const certFiles = [c.tlsCert, c.mllp?.tlsCert].filter((f): f is string => typeof f === 'string');
    return { dataDir: join(dirname(db), 'clinic-server'), certFiles };
  } catch {
    return { dataDir: join(dirname(db), 'clinic-server'), certFiles: [] };
  }
}

/** The device database's key from the passphrase (the key header checks it), or why there is none. */
async function deviceKey(db: string, passphrase: string): Promise<Buffer | Outcome> {
  try {
    return (await resolveKey(db, passphrase)).key;
  } catch (e) {
    if (e instanceof CairnFailure && e.code === 'wrong_passphrase')
      return fail(`${db} does not open with this passphrase: give the clinic passphrase (CAIRN_PASSPHRASE)`);
    return fail(`${db} cannot be opened (${message(e)}): restore the latest backup`);
  }
}

/**
 * Opens the device database for the checks, with no migrations (the schema check must see it as it
 * is). Called on first use, after the file-mode checks ran: opening it makes its files owner-only.
 */
function openDevice(db: string, key: Buffer, resourcesDir: string): { device: DeviceAccess; close: () => void } | Outcome {
  let sqlite: Database.Database;
  try {
    sqlite = openRawWithKey(db, key);
  } catch (e) {
    // The key header already confirmed the passphrase: a file that still does not decrypt is damaged.
    return fail(`${db} cannot be read although the passphrase is right (${message(e)}): it is damaged; copy it aside and restore the latest backup`);
  }
  return { device: { dbFile: db, sqlite, resourcesDir, readBackupCopy: readWithKey((f) => openRawWithKey(f, key)) }, close: () => sqlite.close() };
}

/** The clinic server's lab interface database, when the data directory has one (its passphrase file, else the clinic passphrase). */
async function openLab(dataDir: string, passphrase: string | null): Promise<{ lab: LabAccess; close: () => void } | null> {
  const file = join(dataDir, 'lab-interface.cairn');
  if (!existsSync(file)) return null;
  const label = `the lab interface (${file})`;
  const passFile = join(dataDir, 'lab-interface.passphrase');
  const secret = existsSync(passFile) ? readFileSync(passFile, 'utf8').trim() : passphrase;
  if (!secret) return { lab: { label, problem: unknown(`${label} was not opened: set CAIRN_PASSPHRASE to its passphrase`) }, close: () => undefined };
  try {
    const { key } = await resolveKey(file, secret);
    const sqlite = openRawWithKey(file, key);
    key.fill(0);
    return { lab: { label, sqlite }, close: () => sqlite.close() };
  } catch (e) {
    return {
      lab: { label, problem: unknown(`${label} was not opened (${message(e)}): run cairn doctor --data-dir with its passphrase in CAIRN_PASSPHRASE`) },
      close: () => undefined,
    };
  }
}

const metaValue = (sqlite: Database.Database, key: string): string | undefined =>
  (sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;

function enrolledUrl(sqlite: Database.Database): string | undefined {
  return metaValue(sqlite, 'sync.server_url');
}

/** The server certificate a provisioned device pinned: the doctor trusts it as the device does. */
function pinnedCa(sqlite: Database.Database): Buffer | undefined {
  const pem = metaValue(sqlite, DEVICE_KEYS.serverCertificate);
  return pem ? Buffer.from(pem) : undefined;
}

function memoProbe(url: string | undefined, o: { timeoutMs?: number | undefined; ca?: Buffer | undefined }): () => Promise<ServerAnswer | null> {
  let answer: Promise<ServerAnswer | null> | null = null;
  return () => (answer ??= url ? probeServer(url, { timeoutMs: o.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS, ca: o.ca }) : Promise.resolve(null));
}

/** Builds the checks' context for `cairn doctor`: opens what it was given; `close` releases it (and zeroes the key). */
export async function openDoctorContext(o: DoctorOptions): Promise<{ ctx: DoctorContext; close: () => void }> {
  const closers: (() => void)[] = [];
  const embedded = o.db ? embeddedServer(o.db) : null;
  const dataDir = o.dataDir ?? (embedded && existsSync(embedded.dataDir) ? embedded.dataDir : undefined);
  let key: Buffer | Outcome | null = null;
  if (o.db && existsSync(o.db)) {
    key =
      o.passphrase === null
        ? unknown(`${o.db} was not opened (${o.noPassphrase ?? 'no passphrase'}): its integrity, schema, backups and sync were not checked`)
        : await deviceKey(o.db, o.passphrase);
  }
  if (Buffer.isBuffer(key)) closers.push(() => key.fill(0));
  let opened: { device?: DeviceAccess; problem?: Outcome } | null = null;
  const deviceState = (): { device?: DeviceAccess; problem?: Outcome } => {
    if (opened) return opened;
    if (!key || !o.db) return (opened = {});
    if (!Buffer.isBuffer(key)) return (opened = { problem: key });
    const r = openDevice(o.db, key, o.resourcesDir);
    if (!('device' in r)) return (opened = { problem: r });
    closers.push(r.close);
    return (opened = { device: r.device });
  };
  const lab = dataDir ? await openLab(dataDir, o.passphrase) : null;
  if (lab) closers.push(lab.close);
  const url = (): string | undefined => {
    const device = deviceState().device;
    return o.serverUrl ?? (device && enrolledUrl(device.sqlite)) ?? o.runningServerUrl ?? undefined;
  };
  let answer: Promise<ServerAnswer | null> | null = null;
  const ctx: DoctorContext = {
    dataDir,
    db: o.db,
    get device() {
      return deviceState().device;
    },
    get deviceProblem() {
      return deviceState().problem;
    },
    serverAnswer: () => {
      const device = deviceState().device;
      return (answer ??= memoProbe(url(), { timeoutMs: o.timeoutMs, ca: o.ca ?? (device && pinnedCa(device.sqlite)) })());
    },
    get serverProblem() {
      return !url() && o.dataDir && o.runningServerUrl === null
        ? fail(`no clinic server is running on ${o.dataDir}: start it (systemctl start cairn-server, or cairn server --data-dir ${o.dataDir})`)
        : undefined;
    },
    certFiles: [...(o.certFiles ?? []), ...(embedded?.certFiles ?? [])],
    backupDirs: o.backupDirs ?? [],
    lab: lab?.lab,
    now: o.now ?? ((): Date => new Date()),
    probe: o.probe,
    limits: { ...DEFAULT_LIMITS, ...o.limits },
  };
  return { ctx, close: () => closers.reverse().forEach((c) => c()) };
}

/** Runs every check for `cairn doctor` and returns the report. */
export async function doctorReport(o: DoctorOptions): Promise<DoctorReport> {
  const { ctx, close } = await openDoctorContext(o);
  try {
    return reportOf(await runDoctor(ctx), ctx.now());
  } finally {
    close();
  }
}

/** The Health screen's report: the checks over the unlocked database, the app's live sync status, and the embedded server if any. */
export async function storeDoctorReport(
  store: Store,
  o: { now: () => Date; lastSyncedAt?: string | null | undefined; timeoutMs?: number; limits?: Partial<DoctorLimits> },
): Promise<DoctorReport> {
  const embedded = embeddedServer(store.file);
  const dataDir = embedded && existsSync(embedded.dataDir) ? embedded.dataDir : undefined;
  const lab = dataDir ? await openLab(dataDir, null) : null;
  try {
    const ctx: DoctorContext = {
      dataDir,
      db: store.file,
      device: {
        dbFile: store.file,
        sqlite: store.sqlite,
        resourcesDir: store.resourcesDir,
        readBackupCopy: readAttached(store.sqlite),
        liveSync: { lastSyncedAt: o.lastSyncedAt ?? null },
      },
      serverAnswer: memoProbe(enrolledUrl(store.sqlite), { timeoutMs: o.timeoutMs, ca: pinnedCa(store.sqlite) }),
      certFiles: embedded?.certFiles ?? [],
      backupDirs: [],
      lab: lab?.lab,
      now: o.now,
      limits: { ...DEFAULT_LIMITS, ...o.limits },
    };
    return reportOf(await runDoctor(ctx), o.now());
  } finally {
    lab?.close();
  }
}
