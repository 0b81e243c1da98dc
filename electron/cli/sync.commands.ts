import { CliError, usageError } from './cli-error';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CairnFailure } from '../../shared/api/result';
import { openServerDb, type ServerDbTarget } from '../server/db/open';
import { keepOwnerOnly, secureDataDir } from '../server/data-dir';
import { runningInfo, type RunningInfo } from '../server/server-info';
import { SyncService } from '../server/sync.service';
import { startClinicServer } from '../launch/clinic-server';
import { SmtpNotifier } from '../server/portal/smtp-notifier';
import { createDatabase, unlockDatabase, type Store } from '../services/db/open';
import { defaultResourcesDir } from '../services/paths';
import { createRepos } from '../services/repos';
import { clientFor, enrollThisDevice, fetchTrusting, type FetchLike } from '../services/sync';
import { enrolledServer, signInWithServer } from '../services/sync/user-sessions';
import { fhirClientCommand } from './fhir-server.commands';
import { SERVER_BACKUP_HELP, serverBackupCommand } from './server-backup.commands';
import { SERVER_LOG_HELP, SERVER_LOG_OPTIONS, startServerLog } from './server-log-options';
import { SERVER_SERVICE_HELP, serverServiceCommand } from './server-service.commands';
import { SERVER_UPDATE_HELP, serverUpdateCommand } from './server-update.commands';
import { MLLP_OPTIONS_HELP, mllpSettings } from './mllp-options';
import { secretFrom } from './prompt';
import { request as httpsRequest } from 'node:https';

export const SYNC_HELP = `  cairn server (--data-dir DIR | --database-url postgres://…) [--port N] [--host H]
      [--tls-cert FILE --tls-key FILE] [--allow-insecure-http] [--mllp-port N [--mllp-host H] [--mllp-db FILE]
      [--mllp-tls-cert FILE --mllp-tls-key FILE] [--mllp-max-connections N] [--mllp-idle-timeout S] [--mllp-max-message-bytes N]]
      Runs the clinic server: embedded PGlite stored in DIR, or PostgreSQL. Plain HTTP is served on
      loopback only, unless --allow-insecure-http; elsewhere give the clinic certificate.
      --mllp-port also receives HL7 v2 (lab results, ADT) over MLLP, as a device of the clinic with
      its own encrypted database (DIR/lab-interface.cairn; passphrase from CAIRN_PASSPHRASE).
      MLLP-${MLLP_OPTIONS_HELP}.
      It also serves the patient portal at /portal. --smtp-from "Clinic <portal@clinic.example>" turns
      on its email notices, sent through CAIRN_SMTP_URL (smtp://user:password@host:587 or smtps://…).
${SERVER_LOG_HELP}
${SERVER_SERVICE_HELP}
  cairn server enroll (--data-dir DIR | --database-url URL) --name "Front desk PC" [--hours 24] [--operator]
      Prints a one-time enrollment code for a device (valid 24 hours by default). A device syncs
      only for users who signed in on it with the server checking their password; --operator makes
      an operator device, whose command line (cli:…) may sync too (an interface machine).
  cairn server devices (--data-dir DIR | --database-url URL)
  cairn server revoke (--data-dir DIR | --database-url URL) --device ID
      Lists enrolled devices; revokes one (it cannot sync from then on).
  cairn enroll --db FILE --server URL --code CODE [--name NAME] [--ca FILE] [--user NAME]
      Enrolls this device with the clinic server and syncs once. If FILE does not exist it is
      created (an empty encrypted database that receives the clinic's users and charts).
      --user signs that user in with the server first (password from CAIRN_USER_PASSWORD).
  cairn sync --db FILE [--ca FILE] [--user NAME]
      Pushes this device's changes and pulls the clinic's, once; prints a JSON summary
      { pushed, pulled, conflicts, quarantined, pending, error? } and exits non-zero on an error.
${SERVER_BACKUP_HELP}
${SERVER_UPDATE_HELP}`;

export const SYNC_COMMANDS = ['server', 'enroll', 'sync'] as const;

type Values = Record<string, string | boolean | undefined>;

function options(args: string[], spec: Record<string, 'string' | 'boolean'>): Values {
  try {
    const { values } = parseArgs({
      args,
      options: Object.fromEntries(Object.entries(spec).map(([k, type]) => [k, { type }])),
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (e) {
    throw usageError(e);
  }
}

function need(v: string | boolean | undefined, flag: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new CliError(`missing ${flag} (see cairn --help)`, 2);
  return v;
}

const out = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + '\n');

function target(v: Values): ServerDbTarget {
  if (typeof v['database-url'] === 'string') return { databaseUrl: v['database-url'] };
  if (typeof v['data-dir'] === 'string') return { dataDir: resolve(v['data-dir']) };
  throw new CliError('give --data-dir DIR (embedded database) or --database-url postgres://… (see cairn --help)', 2);
}

function runningServer(t: ServerDbTarget): RunningInfo | null {
  return 'dataDir' in t ? runningInfo(t.dataDir) : null;
}

/**
 * One request to the running server on this machine, over loopback. An HTTPS server is asked over
 * TLS without checking its certificate: the admin token is read from the owner-only running-info
 * file on this machine, and the request never leaves it.
 */
function loopbackRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ ok: boolean; status: number; json: () => Promise<unknown> }> {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  if (u.protocol !== 'https:') return fetch(u, { method, headers, ...(body !== undefined && { body }) });
  return new Promise((resolveRes, reject) => {
    const req = httpsRequest(u, { method, headers, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolveRes({ ok: status >= 200 && status < 300, status, json: () => Promise.resolve(JSON.parse(text) as unknown) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function adminCall<T>(info: RunningInfo, method: string, path: string, body?: unknown): Promise<T> {
  const res = await loopbackRequest(
    `${info.url}${path}`,
    method,
    { authorization: `Bearer ${info.adminToken}`, 'content-type': 'application/json' },
    body === undefined ? undefined : JSON.stringify(body),
  ).catch((e: unknown) => {
    throw new CliError(`the running clinic server did not answer: ${e instanceof Error ? e.message : String(e)}`);
  });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new CliError(json.error?.message ?? `the clinic server answered HTTP ${res.status}`);
  return json;
}

/** Runs `fn` against the server's database directly (PostgreSQL, or an embedded one not in use). */
async function withService<T>(t: ServerDbTarget, fn: (s: SyncService) => Promise<T>): Promise<T> {
  // The same rule as the server's start: owner-only files, and no data directory others can read.
  if ('dataDir' in t) secureDataDir(t.dataDir);
  const db = await openServerDb(t, defaultResourcesDir());
  const ownerOnly = 'dataDir' in t ? keepOwnerOnly(t.dataDir) : null;
  try {
    return await fn(new SyncService(db));
  } finally {
    await db.close();
    ownerOnly?.stop();
  }
}

async function serve(args: string[]): Promise<number> {
  const v = options(args, {
    'data-dir': 'string',
    'database-url': 'string',
    port: 'string',
    host: 'string',
    'tls-cert': 'string',
    'tls-key': 'string',
    'allow-insecure-http': 'boolean',
    'mllp-port': 'string',
    'mllp-host': 'string',
    'mllp-db': 'string',
    'mllp-tls-cert': 'string',
    'mllp-tls-key': 'string',
    'mllp-max-connections': 'string',
    'mllp-idle-timeout': 'string',
    'mllp-max-message-bytes': 'string',
    'smtp-from': 'string',
    ...SERVER_LOG_OPTIONS,
  });
  const t = target(v);
  const mllpPort = v['mllp-port'] === undefined ? null : Number(v['mllp-port']);
  if (mllpPort !== null && (!Number.isInteger(mllpPort) || mllpPort < 0 || mllpPort > 65535))
    throw new CliError(`invalid --mllp-port "${String(v['mllp-port'])}"`, 2);
  const mllpDb = typeof v['mllp-db'] === 'string' ? resolve(v['mllp-db']) : 'dataDir' in t ? resolve(t.dataDir, 'lab-interface.cairn') : null;
  if (mllpPort !== null && !mllpDb) throw new CliError("with --database-url, give --mllp-db FILE for the lab interface's own database", 2);
  const mllp = mllpPort === null ? undefined : mllpSettings(v, 'mllp-', (m) => new CliError(m, 2));
  const port = Number(v['port'] ?? 8443);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`invalid --port "${String(v['port'])}"`, 2);
  if (Boolean(v['tls-cert']) !== Boolean(v['tls-key'])) throw new CliError('give both --tls-cert and --tls-key', 2);
  if (runningServer(t)) throw new CliError(`a clinic server is already running on ${String(v['data-dir'])}`);
  const portalNotify = smtpNotices(v);
  const log = await startServerLog(v, (m, code) => new CliError(m, code));
  let clinic;
  try {
    clinic = await startClinicServer({
      target: t,
      resourcesDir: defaultResourcesDir(),
      port,
      ...(typeof v['host'] === 'string' && { host: v['host'] }),
      ...(typeof v['tls-cert'] === 'string' && { tls: { cert: v['tls-cert'], key: need(v['tls-key'], '--tls-key') } }),
      allowInsecure: v['allow-insecure-http'] === true,
      ...(portalNotify && { portalNotify }),
      ...(mllpPort !== null &&
        mllpDb && {
          lab: {
            port: mllpPort,
            ...(mllp && { mllp }),
            openStore: () => openOrCreate(mllpDb),
            onMessage: (l) => process.stdout.write(l + '\n'),
            onProblem: (l) => process.stderr.write(l + '\n'),
          },
        }),
    });
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  out({
    listening: clinic.server.url,
    database: 'dataDir' in t ? `pglite:${t.dataDir}` : 'postgresql',
    ...(clinic.mllpPort !== null && { mllp: clinic.mllpPort }),
  });
  await new Promise<void>((done) => {
    const stop = (): void => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await clinic.close();
  await log.close();
  return 0;
}

/**
 * The portal's email notices: on with --smtp-from, through the SMTP server in CAIRN_SMTP_URL (an
 * environment variable, so its password is not in the process list).
 */
function smtpNotices(v: Values): { notifier: SmtpNotifier } | undefined {
  const from = v['smtp-from'];
  if (typeof from !== 'string') return undefined;
  const url = process.env['CAIRN_SMTP_URL'];
  if (!url) throw new CliError('--smtp-from needs the mail server in CAIRN_SMTP_URL (smtp://user:password@host:587 or smtps://…:465)', 2);
  try {
    return { notifier: SmtpNotifier.fromUrl(url, from) };
  } catch (e) {
    throw new CliError(`CAIRN_SMTP_URL: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
}

async function serverAdmin(sub: string, args: string[]): Promise<number> {
  if (sub === 'fhir-client') return fhirClientCommand(args, (m, code) => new CliError(m, code));
  if (sub === 'backup' || sub === 'restore') return serverBackupCommand(sub, args, (m, code) => new CliError(m, code));
  if (sub === 'install-service') return serverServiceCommand(args, (m, code) => new CliError(m, code));
  if (sub === 'publish-update') return serverUpdateCommand(args, (m, code) => new CliError(m, code));
  const v = options(args, { 'data-dir': 'string', 'database-url': 'string', name: 'string', hours: 'string', device: 'string', operator: 'boolean' });
  const t = target(v);
  const running = runningServer(t);
  if (sub === 'enroll') {
    const name = need(v['name'], '--name');
    const hours = Number(v['hours'] ?? 24);
    if (!(hours > 0 && hours <= 720)) throw new CliError('--hours must be between 0 and 720', 2);
    const operator = v['operator'] === true;
    out(
      running
        ? await adminCall(running, 'POST', '/admin/enrollment-codes', { name, hours, operator })
        : { ...(await withService(t, (s) => s.createEnrollmentCode(name, hours, { operator }))), name },
    );
  } else if (sub === 'devices') {
    out(running ? await adminCall(running, 'GET', '/admin/devices') : { devices: await withService(t, (s) => s.listDevices()) });
  } else if (sub === 'revoke') {
    const device = need(v['device'], '--device');
    out(
      running
        ? await adminCall(running, 'POST', `/admin/devices/${encodeURIComponent(device)}/revoke`)
        : await withService(t, async (s) => (await s.revoke(device), { revoked: device })),
    );
  } else {
    throw new CliError(`unknown command "server ${sub}" (see cairn --help)`, 2);
  }
  return 0;
}

function fetchFor(v: Values): FetchLike | undefined {
  return typeof v['ca'] === 'string' ? fetchTrusting(readFileSync(v['ca'])) : undefined;
}

async function openOrCreate(db: string): Promise<Store> {
  const resourcesDir = defaultResourcesDir();
  if (existsSync(db)) return (await unlockDatabase(db, await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase'), { resourcesDir })).store;
  return (await createDatabase(db, await secretFrom('CAIRN_PASSPHRASE', 'passphrase for the new database', true), { resourcesDir })).store;
}

const operator = (): string => `cli:${userInfo().username}`;

/**
 * `--user NAME`: that user signs in with the clinic server (password from CAIRN_USER_PASSWORD or the
 * terminal), so this device may push their changes and pull. Without it, only an operator device
 * (enrolled with `server enroll --operator`) or users who signed in here before can sync.
 */
async function signInUser(store: Store, user: string | boolean | undefined, fetchImpl: FetchLike | undefined): Promise<void> {
  if (typeof user !== 'string' || user === '') return;
  const server = enrolledServer(store.sqlite);
  if (!server) throw new CliError('this device is not enrolled with a clinic server (cairn enroll)');
  const verdict = await signInWithServer(store.sqlite, server, user, await secretFrom('CAIRN_USER_PASSWORD', `password of ${user}`), fetchImpl);
  if (verdict.status !== 'ok') throw new CliError(`the clinic server did not sign in ${user}: ${verdict.message}`);
}

async function enroll(args: string[]): Promise<number> {
  const v = options(args, { db: 'string', server: 'string', code: 'string', name: 'string', ca: 'string', user: 'string' });
  const db = resolve(need(v['db'], '--db'));
  const serverUrl = need(v['server'], '--server');
  if (!/^https?:\/\//.test(serverUrl)) throw new CliError(`--server must be an http(s):// address, got "${serverUrl}"`, 2);
  const code = need(v['code'], '--code');
  const fetchImpl = fetchFor(v);
  const created = !existsSync(db);
  const store = await openOrCreate(db);
  try {
    const repos = createRepos(store);
    let deviceId: string;
    try {
      ({ deviceId } = await enrollThisDevice(store, repos, {
        serverUrl,
        code,
        deviceName: typeof v['name'] === 'string' ? v['name'] : hostname(),
        ...(fetchImpl && { fetchImpl }),
      }));
    } catch (e) {
      if (created) {
        // Nothing was ever written to the database made for this enrollment: leave no empty file behind.
        store.close();
        for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.key.json`]) rmSync(f, { force: true });
      }
      throw e;
    }
    await signInUser(store, v['user'], fetchImpl);
    const summary = await clientFor(store, repos, operator, { ...(fetchImpl && { fetchImpl }) }).syncOnce();
    out({ enrolled: deviceId, server: serverUrl, ...summary });
    return summary.error ? 1 : 0;
  } finally {
    store.close();
  }
}

async function syncOnce(args: string[]): Promise<number> {
  const v = options(args, { db: 'string', ca: 'string', user: 'string' });
  const db = resolve(need(v['db'], '--db'));
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`);
  const fetchImpl = fetchFor(v);
  const { store } = await unlockDatabase(db, await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase'), { resourcesDir: defaultResourcesDir() });
  try {
    await signInUser(store, v['user'], fetchImpl);
    const summary = await clientFor(store, createRepos(store), operator, { ...(fetchImpl && { fetchImpl }) }).syncOnce();
    out({
      pushed: summary.pushed,
      pulled: summary.pulled,
      conflicts: summary.conflicts,
      quarantined: summary.quarantined,
      pending: summary.pending,
      ...(summary.error && { error: summary.error.message }),
    });
    return summary.error ? 1 : 0;
  } finally {
    store.close();
  }
}

/** `cairn server …`, `cairn enroll`, `cairn sync`. */
export async function syncCommand(cmd: string, sub: string | undefined, args: string[]): Promise<number> {
  try {
    if (cmd === 'server' && sub && !sub.startsWith('-')) return await serverAdmin(sub, args);
    if (cmd === 'server') return await serve(sub ? [sub, ...args] : args);
    if (cmd === 'enroll') return await enroll(sub ? [sub, ...args] : args);
    return await syncOnce(sub ? [sub, ...args] : args);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof CairnFailure) throw new CliError(e.message);
    throw e;
  }
}
