import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { startServer } from '../server/server';
import { newAdminToken, writeRunningInfo } from '../server/server-info';

const config = z.object({
  port: z.number().int().min(1).max(65535),
  host: z.string().optional(),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
});

/**
 * A clinic with no other machine runs the clinic server inside the desktop app: when
 * `clinic-server.json` exists in the app's data folder ({ "port": 8443, "host": "0.0.0.0",
 * "tlsCert": "…", "tlsKey": "…" }), the server starts with the app, its embedded database in
 * `clinic-server/` beside it. Other devices enroll against it as against `cairn server`.
 */
export async function startEmbeddedClinicServer(userData: string, resourcesDir: string): Promise<void> {
  const file = join(userData, 'clinic-server.json');
  if (!existsSync(file)) return;
  const parsed = config.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    console.error(`clinic-server.json is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return;
  }
  const c = parsed.data;
  const dataDir = join(userData, 'clinic-server');
  const adminToken = newAdminToken();
  try {
    const server = await startServer({
      target: { dataDir },
      adminToken,
      resourcesDir,
      port: c.port,
      ...(c.host && { host: c.host }),
      ...(c.tlsCert && c.tlsKey && { tls: { cert: c.tlsCert, key: c.tlsKey } }),
    });
    // `cairn server enroll --data-dir <that folder>` reaches it through its loopback admin endpoint.
    writeRunningInfo(dataDir, { pid: process.pid, url: server.url, adminToken });
  } catch (e) {
    console.error(`the embedded clinic server did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
}
