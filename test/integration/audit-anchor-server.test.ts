import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerPathFor } from '../../electron/services/db/key-header';
import { createRepos } from '../../electron/services/repos';
import { CLINIC } from '../helpers/clinic';
import { cairnAsync } from '../helpers/cli';
import { signInOnServer } from '../helpers/sync-server';
import { twoEnrolledDevices, type TwoDevices } from '../helpers/two-devices';

describe("the clinic server keeps every device's audit head, and verification compares with it", () => {
  let d: TwoDevices;
  beforeAll(async () => {
    d = await twoEnrolledDevices();
    // The administrator's set-up changes wait for the administrator to sign in on the server from A.
    await signInOnServer(d.a.session.repos.store.sqlite, CLINIC.admin.username, CLINIC.admin.password);
  });
  afterAll(async () => {
    await d?.close();
  });

  const head = (): { seq: number; hash: string } =>
    d.a.session.repos.store.sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };

  it('holds the head a device pushed, and a cut tail shows against it even with the local anchor removed too', async () => {
    for (const given of ['Ann', 'Ben', 'Cal', 'Dee']) await d.a.ok('patients.create', { givenName: given, familyName: 'Anchor', birthDate: '1970-01-01' });
    expect((await d.syncA.syncOnce()).error).toBeNull();
    const pushed = head();
    const deviceId = d.a.session.repos.store.deviceId;
    expect(await d.server.sync.auditHead(deviceId)).toEqual(pushed);
    // The server could check links only (it cannot recompute an HMAC); every entry it took links up.
    expect(await d.server.db.query('SELECT count(*)::int AS n FROM audit_entries WHERE device_id = $1 AND NOT chain_ok', [deviceId])).toEqual([{ n: 0 }]);
    expect(createRepos(d.a.session.repos.store).audit.verify([{ source: 'clinic server', ...pushed }]).problems).toEqual([]);

    // Someone with this device's file and key cuts the last 3 entries and removes the local anchor as well.
    const file = d.a.session.repos.store.file;
    const sqlite = d.a.session.repos.store.sqlite;
    sqlite.exec('DROP TRIGGER audit_log_no_delete');
    sqlite.prepare('DELETE FROM audit_log WHERE seq > ?').run(pushed.seq - 3);
    const header = JSON.parse(readFileSync(headerPathFor(file), 'utf8')) as Record<string, unknown>;
    delete header['audit'];
    writeFileSync(headerPathFor(file), JSON.stringify(header));
    expect(createRepos(d.a.session.repos.store).audit.verify().problems).toEqual([]);

    // Not spawnSync: the clinic server runs in this process and must answer the command's request.
    const r = await cairnAsync(['audit', 'verify', '--db', file], { CAIRN_PASSPHRASE: CLINIC.passphrase });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ chain: 'broken', anchors: { clinicServer: `seq ${pushed.seq}` }, firstBrokenEntry: pushed.seq - 2 });
    expect(r.err.trim()).toBe(`cairn: 3 entries missing after seq ${pushed.seq - 3} (the clinic server records the chain up to seq ${pushed.seq})`);
  });

  it('flags the first entry written after a cut tail: it no longer links to the head the server holds', async () => {
    const before = (await d.server.sync.auditHead(d.a.session.repos.store.deviceId))!;
    await d.a.ok('patients.create', { givenName: 'Eve', familyName: 'Anchor', birthDate: '1970-01-01' });
    expect((await d.syncA.syncOnce()).error).toBeNull();
    const rows = await d.server.db.query<{ seq: number; chain_ok: boolean }>(
      'SELECT seq, chain_ok FROM audit_entries WHERE device_id = $1 AND seq > $2 ORDER BY seq',
      [d.a.session.repos.store.deviceId, before.seq],
    );
    expect(rows[0]).toEqual({ seq: before.seq + 1, chain_ok: false });
  });
});
