import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from './app';
import { keepOwnerOnly, secureDataDir } from './data-dir';
import { createFhirApi } from './fhir/fhir.routes';
import { openServerDb, type ServerDb, type ServerDbTarget } from './db/open';
import { SyncService, type SyncServiceOptions } from './sync.service';
import { updatesDirFor } from './update-feed';
import { loadPortalSettings, type PortalOptions } from './portal/portal.routes';
import type { Notifier } from './portal/notifier';
import { startPortalNotify } from './portal/portal-notify';

export interface ServerOptions {
  target: ServerDbTarget;
  resourcesDir: string;
  port: number;
  host?: string;
  tls?: { cert: string; key: string };
  /** Plain HTTP on a non-loopback address must be asked for explicitly. */
  allowInsecure?: boolean;
  sync?: SyncServiceOptions;
  /** Enables the loopback admin endpoints with this token. */
  adminToken?: string;
  app?: Omit<AppOptions, 'adminToken'>;
  /**
   * The patient portal, served by default from resourcesDir (settings in resources/portal) and the
   * built screens beside it; `false` serves none.
   */
  portal?: Partial<PortalOptions> | false;
  /**
   * Emails telling portal accounts that something waits for them (a message, a result, a visit
   * reminder; never health information), checked every `everyMs` (default a minute).
   */
  portalNotify?: { notifier: Notifier; everyMs?: number };
}

export interface RunningServer {
  url: string;
  port: number;
  db: ServerDb;
  sync: SyncService;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Starts the clinic server: database, migrations, HTTP(S). */
export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  if (!o.tls && !LOOPBACK.has(host) && !o.allowInsecure) {
    throw new Error(
      `refusing to serve patient data over plain HTTP on ${host}: give --tls-cert and --tls-key (the clinic certificate), or --allow-insecure-http on a network you trust`,
    );
  }
  const tls = o.tls ? { cert: readFileSync(o.tls.cert), key: readFileSync(o.tls.key) } : undefined;
  // Important: before PGlite writes a byte. Owner-only from here on; a directory others can read is refused.
  if ('dataDir' in o.target) secureDataDir(o.target.dataDir);
  const db = await openServerDb(o.target, o.resourcesDir);
  const ownerOnly = 'dataDir' in o.target ? keepOwnerOnly(o.target.dataDir) : null;
  const sync = new SyncService(db, o.sync);
  const fhir = createFhirApi(db);
  const updatesDir = updatesDirFor(o.target);
  const portal: PortalOptions | undefined =
    o.portal === false ? undefined : { resourcesDir: o.resourcesDir, ...(o.sync?.now && { now: o.sync.now }), ...o.portal };
  const app = createApp(sync, {
    ...(updatesDir && { updatesDir }),
    ...(portal && { portal }),
    ...o.app,
    fhir,
    ...(o.adminToken && { adminToken: o.adminToken }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = tls
      ? serve({ fetch: app.fetch, port: o.port, hostname: host, createServer: createHttpsServer, serverOptions: tls }, () => resolve(s))
      : serve({ fetch: app.fetch, port: o.port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  // Devices sync every minute or so: keep their connections longer than Node's 5-second default.
  (server as { keepAliveTimeout: number }).keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  const notify = portal && o.portalNotify ? startNotices(sync, portal, o.portalNotify) : null;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    db,
    sync,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await notify?.stop();
      // Before the database goes: the pending FHIR access entries, and a running export's writes.
      await fhir.access.close();
      await fhir.exports.idle();
      await db.close();
      ownerOnly?.stop();
    },
  };
}

/** The portal's email notices, on the settings the portal runs on (none when those cannot be read). */
function startNotices(sync: SyncService, portal: PortalOptions, o: { notifier: Notifier; everyMs?: number }): { stop(): Promise<void> } | null {
  const loaded = portal.settings ? { settings: portal.settings } : loadPortalSettings(portal.resourcesDir);
  if (!('settings' in loaded)) {
    console.error(`portal notices are off: ${loaded.problem}`);
    return null;
  }
  const deps = { sync, settings: loaded.settings, resourcesDir: portal.resourcesDir, now: portal.now ?? Date.now };
  return startPortalNotify(deps, o.notifier, o.everyMs ?? 60_000);
}
