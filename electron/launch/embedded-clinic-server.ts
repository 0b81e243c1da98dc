import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createDatabase, unlockDatabase, type Store } from '../services/db/open';
import { startClinicServer, type ClinicServerOptions, type RunningClinicServer } from './clinic-server';
import { mllpAddress } from './lab-interface';

const whole = z.number().int().min(1);
const bothOrNeither = (c: { tlsCert?: string | undefined; tlsKey?: string | undefined }): boolean => Boolean(c.tlsCert) === Boolean(c.tlsKey);

/** clinic-server.json; `mllp` mirrors `cairn server`'s --mllp-* flags (idleTimeout in seconds). */
const config = z.object({
  port: z.number().int().min(1).max(65535),
  host: z.string().optional(),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  mllp: z
    .object({
      port: z.number().int().min(0).max(65535),
      host: z.string().optional(),
      db: z.string().optional(),
      tlsCert: z.string().optional(),
      tlsKey: z.string().optional(),
      maxConnections: whole.optional(),
      idleTimeout: whole.optional(),
      maxMessageBytes: whole.optional(),
    })
    .refine(bothOrNeither, { message: 'give both tlsCert and tlsKey' })
    .optional(),
});
type MllpConfig = NonNullable<z.infer<typeof config>['mllp']>;

/**
 * The passphrase of the embedded lab interface's database. Nobody types it (the app starts the
 * server unattended), so it is a random 256-bit secret made with the database and kept owner-only
 * (0600) beside it in the server's data folder, which is itself owner-only and holds the clinic's
 * data in clear (PGlite): the file adds no weaker way in than the folder already is.
 */
export function labPassphrase(dataDir: string, dbFile: string): string {
  const file = join(dataDir, 'lab-interface.passphrase');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (existsSync(dbFile)) throw new Error(`the lab interface database ${dbFile} exists but its passphrase file ${file} does not`);
  const passphrase = randomBytes(32).toString('base64url');
  writeFileSync(file, passphrase + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return passphrase;
}

async function openLabStore(dataDir: string, dbFile: string, resourcesDir: string): Promise<Store> {
  const passphrase = labPassphrase(dataDir, dbFile);
  if (existsSync(dbFile)) return (await unlockDatabase(dbFile, passphrase, { resourcesDir })).store;
  return (await createDatabase(dbFile, passphrase, { resourcesDir })).store;
}

function labOptions(m: MllpConfig, dataDir: string, resourcesDir: string): NonNullable<ClinicServerOptions['lab']> {
  const dbFile = m.db ?? join(dataDir, 'lab-interface.cairn');
  return {
    port: m.port,
    mllp: {
      ...mllpAddress(m.host, m.tlsCert && m.tlsKey ? { cert: m.tlsCert, key: m.tlsKey } : undefined),
      ...(m.maxConnections !== undefined && { maxConnections: m.maxConnections }),
      ...(m.idleTimeout !== undefined && { idleTimeoutMs: m.idleTimeout * 1000 }),
      ...(m.maxMessageBytes !== undefined && { maxMessageBytes: m.maxMessageBytes }),
    },
    openStore: () => openLabStore(dataDir, dbFile, resourcesDir),
    onMessage: (line) => console.log(line),
    onProblem: (line) => console.error(line),
  };
}

/**
 * What clinic-server.json in the app's data folder asks for, or null when there is no such file:
 * { "port": 8443, "host": "0.0.0.0", "tlsCert": "…", "tlsKey": "…", "mllp": { "port": 2575,
 * "host": "…", "tlsCert": "…", "tlsKey": "…", "maxConnections": 8, "idleTimeout": 60,
 * "maxMessageBytes": 1048576, "db": "…" } }. The embedded database lives in `clinic-server/` beside
 * it, and the lab interface's (when `mllp` is given) in `clinic-server/lab-interface.cairn`.
 * Throws a one-line message when the file is not valid.
 */
export function embeddedClinicServerOptions(userData: string, resourcesDir: string): ClinicServerOptions | null {
  const file = join(userData, 'clinic-server.json');
  if (!existsSync(file)) return null;
  const parsed = config.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`clinic-server.json is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const c = parsed.data;
  const dataDir = join(userData, 'clinic-server');
  return {
    target: { dataDir },
    resourcesDir,
    port: c.port,
    ...(c.host && { host: c.host }),
    ...(c.tlsCert && c.tlsKey && { tls: { cert: c.tlsCert, key: c.tlsKey } }),
    ...(c.mllp && { lab: labOptions(c.mllp, dataDir, resourcesDir) }),
  };
}

/**
 * A clinic with no other machine runs the clinic server inside the desktop app: when
 * `clinic-server.json` exists in the app's data folder, the server (and its lab interface, when
 * asked for) starts with the app. Other devices enroll against it as against `cairn server`.
 */
export async function startEmbeddedClinicServer(userData: string, resourcesDir: string): Promise<RunningClinicServer | null> {
  let options: ClinicServerOptions | null;
  try {
    options = embeddedClinicServerOptions(userData, resourcesDir);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return null;
  }
  if (!options) return null;
  try {
    return await startClinicServer(options);
  } catch (e) {
    console.error(`the embedded clinic server did not start: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}
