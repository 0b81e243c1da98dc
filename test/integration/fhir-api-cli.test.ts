import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cliServer } from '../helpers/cli';
import { FhirClient } from '../helpers/fhir-api';
import { freshPostgresDb } from '../helpers/sync-server';
import { tempDir } from '../helpers/temp-db';

describe('cairn server fhir-client', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('issues, lists and revokes clients of a running embedded server (through its loopback admin endpoint)', async () => {
    const t = tempDir('cairn-fhir-cli-');
    cleanups.push(t.cleanup);
    const server = await cliServer(['--data-dir', t.dir, '--port', '0']);
    cleanups.push(server.stop);
    const base = `${server.url}/fhir/R4`;
    const add = cairn(['server', 'fhir-client', 'add', '--data-dir', t.dir, '--name', 'Registry', '--scopes', 'system/Patient.rs']);
    expect(add.err).toBe('');
    expect(add.code).toBe(0);
    const client = JSON.parse(add.out) as { clientId: string; clientSecret: string; scopes: string };
    expect(client.scopes).toBe('system/Patient.rs');
    const token = await FhirClient.token(base, client.clientId, client.clientSecret);
    expect(token.status).toBe(200);
    const fhir = new FhirClient(base, String(token.body['access_token']));
    expect((await fhir.get('/Patient')).status).toBe(200);
    expect((await fhir.get('/Observation')).status).toBe(403);
    const list = JSON.parse(cairn(['server', 'fhir-client', 'list', '--data-dir', t.dir]).out) as { clients: { clientId: string; revokedAt: string | null }[] };
    expect(list.clients.map((c) => c.clientId)).toEqual([client.clientId]);
    expect(JSON.stringify(list)).not.toContain(client.clientSecret);
    expect(cairn(['server', 'fhir-client', 'revoke', '--data-dir', t.dir, '--client', client.clientId]).code).toBe(0);
    expect((await fhir.get('/Patient')).status).toBe(401);
    const bad = cairn(['server', 'fhir-client', 'add', '--data-dir', t.dir, '--name', 'X', '--scopes', 'patient/*.read']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/not a system scope/);
    expect(cairn(['server', 'fhir-client', 'frobnicate', '--data-dir', t.dir]).code).toBe(2);
    // Restricted charts only for a client added with --restricted (through the running server too).
    const office = JSON.parse(cairn(['server', 'fhir-client', 'add', '--data-dir', t.dir, '--name', 'Privacy office', '--restricted']).out) as {
      restricted: boolean;
      scopes: string;
    };
    expect(office).toMatchObject({ restricted: true, scopes: 'system/*.read cairn/restricted-charts.read' });
    expect(fhir.invalid).toEqual([]);
  }, 120_000);

  it('works on a PostgreSQL database directly', async () => {
    const db = await freshPostgresDb();
    cleanups.push(db.drop);
    const add = cairn(['server', 'fhir-client', 'add', '--database-url', db.url, '--name', 'Analytics']);
    expect(add.code, add.err).toBe(0);
    const client = JSON.parse(add.out) as { clientId: string; scopes: string };
    expect(client.scopes).toBe('system/*.read');
    const office = JSON.parse(
      cairn(['server', 'fhir-client', 'add', '--database-url', db.url, '--name', 'Privacy office', '--scopes', 'system/Patient.rs', '--restricted']).out,
    ) as { clientId: string };
    const listed = JSON.parse(cairn(['server', 'fhir-client', 'list', '--database-url', db.url]).out) as {
      clients: { clientId: string; revokedAt: string | null; restricted: boolean }[];
    };
    // Off by default; on only when asked for.
    expect(listed.clients).toEqual([
      expect.objectContaining({ clientId: client.clientId, revokedAt: null, restricted: false }),
      expect.objectContaining({ clientId: office.clientId, restricted: true }),
    ]);
    expect(cairn(['server', 'fhir-client', 'revoke', '--database-url', db.url, '--client', client.clientId]).code).toBe(0);
    const after = JSON.parse(cairn(['server', 'fhir-client', 'list', '--database-url', db.url]).out) as { clients: { revokedAt: string | null }[] };
    expect(after.clients[0]!.revokedAt).not.toBeNull();
    expect(cairn(['server', 'fhir-client', 'revoke', '--database-url', db.url, '--client', 'fc_nobody']).code).toBe(1);
  }, 120_000);
});
