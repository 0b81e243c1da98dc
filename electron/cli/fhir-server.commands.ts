import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openServerDb, type ServerDbTarget } from '../server/db/open';
import { FhirAuth } from '../server/fhir/fhir-auth';
import { FhirError } from '../server/fhir/outcome';
import { runningInfo, type RunningInfo } from '../server/server-info';
import { defaultResourcesDir } from '../services/paths';

export const FHIR_SERVER_HELP = `  cairn server fhir-client add (--data-dir DIR | --database-url URL) --name "Vendor" [--scopes "system/*.read"] [--restricted]
  cairn server fhir-client list (--data-dir DIR | --database-url URL)
  cairn server fhir-client revoke (--data-dir DIR | --database-url URL) --client ID
      Issues, lists or revokes a client of the FHIR API (/fhir/R4, OAuth2 client credentials). add
      prints the client id and secret once (only a hash is kept); scopes are SMART v2 system scopes
      such as system/*.read, system/Patient.rs, system/Observation.read. Restricted charts are withheld
      from every client unless it is added with --restricted (its accesses to them are logged).`;

type Fail = (message: string, exitCode?: number) => Error;

const out = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + '\n');

async function adminCall<T>(info: RunningInfo, method: string, path: string, fail: Fail, body?: unknown): Promise<T> {
  const res = await fetch(`${info.url.replace('https://', 'http://').replace(/:\/\/[^:/]+/, '://127.0.0.1')}${path}`, {
    method,
    headers: { authorization: `Bearer ${info.adminToken}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  }).catch((e: unknown) => {
    throw fail(`the running clinic server did not answer: ${e instanceof Error ? e.message : String(e)}`);
  });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw fail(json.error?.message ?? `the clinic server answered HTTP ${res.status}`);
  return json;
}

/** `cairn server fhir-client add|list|revoke`: through a running embedded server, else the database. */
export async function fhirClientCommand(args: string[], fail: Fail): Promise<number> {
  const [action, ...rest] = args;
  let v: Record<string, string | boolean | undefined>;
  try {
    v = parseArgs({
      args: rest,
      options: {
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string' },
        client: { type: 'string' },
        restricted: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw fail(`${e instanceof Error ? e.message.split('\n')[0]! : String(e)} (see cairn --help)`, 2);
  }
  const t: ServerDbTarget =
    typeof v['database-url'] === 'string'
      ? { databaseUrl: v['database-url'] }
      : typeof v['data-dir'] === 'string'
        ? { dataDir: resolve(v['data-dir']) }
        : (() => {
            throw fail('give --data-dir DIR (embedded database) or --database-url postgres://… (see cairn --help)', 2);
          })();
  const running = 'dataDir' in t ? runningInfo(t.dataDir) : null;
  const withAuth = async <T>(fn: (a: FhirAuth) => Promise<T>): Promise<T> => {
    const db = await openServerDb(t, defaultResourcesDir());
    try {
      return await fn(new FhirAuth(db));
    } catch (e) {
      if (e instanceof FhirError) throw fail(e.message);
      throw e;
    } finally {
      await db.close();
    }
  };
  if (action === 'add') {
    const name = typeof v['name'] === 'string' ? v['name'] : '';
    if (!name.trim()) throw fail('missing --name (see cairn --help)', 2);
    const scopes = typeof v['scopes'] === 'string' ? v['scopes'] : 'system/*.read';
    const restricted = v['restricted'] === true;
    out(
      running
        ? await adminCall(running, 'POST', '/admin/fhir-clients', fail, { name, scopes, restricted })
        : await withAuth((a) => a.addClient(name, scopes, { restricted })),
    );
  } else if (action === 'list') {
    out(running ? await adminCall(running, 'GET', '/admin/fhir-clients', fail) : { clients: await withAuth((a) => a.listClients()) });
  } else if (action === 'revoke') {
    const client = typeof v['client'] === 'string' ? v['client'] : '';
    if (!client) throw fail('missing --client (see cairn --help)', 2);
    out(
      running
        ? await adminCall(running, 'POST', `/admin/fhir-clients/${encodeURIComponent(client)}/revoke`, fail)
        : await withAuth(async (a) => (await a.revokeClient(client), { revoked: client })),
    );
  } else {
    throw fail(`unknown command "server fhir-client ${action ?? ''}" (add, list or revoke; see cairn --help)`, 2);
  }
  return 0;
}
