import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../electron/services/backup/backup';
import { BackupRefusal, readBackupManifest, verifyBackupChecksum } from '../../electron/services/backup/format';
import { rekeyDatabase } from '../../electron/services/backup/rekey';
import { restoreBackup } from '../../electron/services/backup/restore';
import { headerPathFor, pendingHeaderPathFor } from '../../electron/services/db/key-header';
import { openRawWithKey, resolveKey, unlockDatabase, verifyStore, type Store } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import { newStore, resourcesDir, tempDir, TEST_KDF } from '../helpers/temp-db';

const PASS = 'backup test passphrase';
const actor = { userId: 'backup-test' };
const NAMES = [
  ['Zebulon', 'Quartermaine'],
  ['Philippa', 'Vandersloot'],
  ['Octavius', 'Brackenridge'],
] as const;

/** Every file in the folder: name → SHA-256 and mtime, to prove a refusal changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) continue;
    out[f] = `${statSync(p).mtimeMs}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
  }
  return out;
}

/** All rows of every ordinary table, sorted, so two databases compare by content. */
function contents(store: Store): Record<string, string[]> {
  const tables = store.sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      store.sqlite
        .prepare(`SELECT * FROM "${name}"`)
        .all()
        .map((r) => JSON.stringify(r))
        .sort(),
    ]),
  );
}

function seed(store: Store): void {
  const repos = createRepos(store);
  for (const [g, f] of NAMES) repos.patients.create(patientInput.parse({ givenName: g, familyName: f, birthDate: '1971-05-06', phone: '617-555-0199' }), actor);
  store.sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('clinic_name', 'Hilltop Clinic')`).run();
}

async function keyOf(file: string, passphrase = PASS): Promise<Buffer> {
  return (await resolveKey(file, passphrase)).key;
}

async function backupOf(file: string, out: string, passphrase = PASS): Promise<string> {
  return (await createBackup({ dbFile: file, key: await keyOf(file, passphrase), out })).file;
}

function flipMiddle(file: string): void {
  const bytes = readFileSync(file);
  const mid = Math.floor(bytes.length / 2);
  for (let i = 0; i < 16; i++) bytes[mid + i] = (bytes[mid + i] as number) ^ 0xff;
  writeFileSync(file, bytes);
}

describe('encrypted backups and restore', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir('cairn-backup-');
  });
  afterEach(() => t.cleanup());

  it('round-trips: a restored database holds exactly the rows of the one backed up', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    const before = contents(store);
    const bak = await backupOf(file, join(t.dir, 'one.cairnbak'));
    // Changes after the backup are undone by restoring it over the same database.
    createRepos(store).patients.create(patientInput.parse({ givenName: 'After', familyName: 'Backup', birthDate: '2000-01-01' }), actor);
    store.close();

    const fresh = join(t.dir, 'elsewhere', 'restored.cairn');
    const r1 = await restoreBackup({ backup: bak, dbFile: fresh, passphrase: PASS, resourcesDir });
    expect(r1).toMatchObject({ replaced: false, dbFile: fresh });
    const r2 = await restoreBackup({ backup: bak, dbFile: file, passphrase: PASS, resourcesDir });
    expect(r2.replaced).toBe(true);
    for (const f of [fresh, file]) {
      const { store: again } = await unlockDatabase(f, PASS, { resourcesDir });
      expect(contents(again)).toEqual(before);
      expect(verifyStore(again, { resourcesDir })).toMatchObject({ integrity: ['ok'], pending: 0 });
      expect(
        createRepos(again)
          .patients.find('Quartermaine', 5)
          .map((p) => p.familyName),
      ).toEqual(['Quartermaine']);
      expect(createRepos(again).audit.firstBroken()).toBeNull();
      again.close();
      expect(existsSync(`${f}.key.json.next`)).toBe(false);
      expect(readdirSync(join(f, '..')).filter((n) => n.includes('.tmp'))).toEqual([]);
    }
  });

  it('writes no plaintext: no patient name, not a SQLite header, the manifest line holds no secret', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    const bak = await backupOf(file, join(t.dir, 'phi.cairnbak'));
    store.close();
    const bytes = readFileSync(bak);
    for (const [g, f] of NAMES) {
      expect(bytes.includes(Buffer.from(g)), g).toBe(false);
      expect(bytes.includes(Buffer.from(f)), f).toBe(false);
    }
    expect(bytes.includes(Buffer.from('6175550199'))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    const { manifest, payloadOffset } = readBackupManifest(bak);
    expect(manifest).toMatchObject({ format: 'cairn-backup', version: 1, keyHeader: { kdf: 'scrypt', N: TEST_KDF.N } });
    expect(manifest.payloadBytes).toBe(bytes.length - payloadOffset);
    expect(manifest.payloadSha256).toBe(createHash('sha256').update(bytes.subarray(payloadOffset)).digest('hex'));
    expect(bytes.subarray(0, payloadOffset).toString()).not.toContain(PASS);
    expect(statSync(bak).mode & 0o077).toBe(0);
    await expect(verifyBackupChecksum(bak)).resolves.toMatchObject({ deviceId: manifest.deviceId });
  });

  it('backs up online while another process keeps writing: a consistent snapshot, and the writer is not stopped', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    store.close();
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('test/helpers/write-until-killed.ts'), file, PASS], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const committed: string[] = [];
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (buf + chunk).split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('committed ')) committed.push(l.slice('committed '.length));
    });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const waitFor = async (n: number): Promise<void> => {
      while (committed.length < n) await new Promise((r) => setTimeout(r, 5));
    };
    try {
      await waitFor(30);
      const key = await keyOf(file);
      const beforeBackup = [...committed];
      const bak = (await createBackup({ dbFile: file, key, out: join(t.dir, 'online.cairnbak') })).file;
      const atEnd = committed.length;
      await waitFor(atEnd + 10); // the writer goes on after the backup
      child.kill('SIGKILL');
      await exited;

      const restored = join(t.dir, 'restored', 'clinic.cairn');
      await restoreBackup({ backup: bak, dbFile: restored, passphrase: PASS, resourcesDir });
      const { store: snap } = await unlockDatabase(restored, PASS, { resourcesDir });
      const repos = createRepos(snap);
      for (const mrn of beforeBackup) expect(repos.patients.find(mrn, 1)[0]?.mrn, `MRN ${mrn} committed before the backup`).toBe(mrn);
      const n = snap.sqlite.prepare('SELECT (SELECT count(*) FROM patients) AS p, (SELECT count(*) FROM sync_outbox) AS o').get() as { p: number; o: number };
      // A snapshot: each patient came with its outbox entry, and nothing after the writer's later commits.
      expect(n.o).toBe(n.p);
      expect(n.p).toBeGreaterThanOrEqual(NAMES.length + beforeBackup.length);
      expect(n.p).toBeLessThan(NAMES.length + committed.length);
      expect(verifyStore(snap, { resourcesDir }).integrity).toEqual(['ok']);
      expect(repos.audit.firstBroken()).toBeNull();
      snap.close();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a damaged backup (bytes flipped in the middle) and leaves the database byte-identical', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    const bak = await backupOf(file, join(t.dir, 'bak', 'damaged.cairnbak'));
    store.close();
    flipMiddle(bak);
    const before = snapshot(t.dir);
    const refused = restoreBackup({ backup: bak, dbFile: file, passphrase: PASS, resourcesDir });
    await expect(refused).rejects.toBeInstanceOf(BackupRefusal);
    await expect(refused).rejects.toThrow(
      /^backup .*damaged\.cairnbak is damaged: its checksum does not match \(SHA-256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\)$/,
    );
    expect(snapshot(t.dir)).toEqual(before);
    await expect(verifyBackupChecksum(bak)).rejects.toThrow(/checksum does not match/);
  });

  it('refuses damage the checksum was recomputed over: every page is decrypted and checked', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    const bak = await backupOf(file, join(t.dir, 'bak', 'forged.cairnbak'));
    store.close();
    const { manifest, payloadOffset } = readBackupManifest(bak);
    const payload = readFileSync(bak).subarray(payloadOffset);
    const page = 4096 * 2 + 100; // inside the third page, away from the header
    for (let i = 0; i < 8; i++) payload[page + i] = (payload[page + i] as number) ^ 0x5a;
    const forged = { ...manifest, payloadSha256: createHash('sha256').update(payload).digest('hex') };
    writeFileSync(bak, Buffer.concat([Buffer.from(JSON.stringify(forged) + '\n'), payload]));
    const before = snapshot(t.dir);
    await expect(restoreBackup({ backup: bak, dbFile: file, passphrase: PASS, resourcesDir })).rejects.toThrow(
      /^backup .* is damaged: (the integrity check failed|its database does not decrypt)/,
    );
    expect(snapshot(t.dir)).toEqual(before);
  });

  it('refuses a truncated backup, a file that is not a backup, and a wrong passphrase, changing nothing', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    const bak = await backupOf(file, join(t.dir, 'bak', 'cut.cairnbak'));
    store.close();
    const before = snapshot(t.dir);
    await expect(restoreBackup({ backup: bak, dbFile: file, passphrase: 'not the passphrase', resourcesDir })).rejects.toThrow(
      /^wrong passphrase for backup .*cut\.cairnbak .*nothing was restored$/,
    );
    await expect(restoreBackup({ backup: file, dbFile: join(t.dir, 'x.cairn'), passphrase: PASS, resourcesDir })).rejects.toThrow(
      /clinic\.cairn is not a Cairn backup$/,
    );
    writeFileSync(bak, readFileSync(bak).subarray(0, statSync(bak).size - 1000));
    await expect(restoreBackup({ backup: bak, dbFile: file, passphrase: PASS, resourcesDir })).rejects.toThrow(
      /is damaged: \d+ bytes of database where its manifest records \d+/,
    );
    expect(snapshot(t.dir)).toEqual(before);
    expect(existsSync(join(t.dir, 'x.cairn'))).toBe(false);
  });

  it('refuses a backup of another database with a clear message, byte-identical; --force-foreign replaces it', async () => {
    const ours = await newStore(t.dir, PASS);
    seed(ours.store);
    const ourRows = contents(ours.store);
    ours.store.close();
    const otherDir = join(t.dir, 'other');
    mkdirSync(otherDir);
    const theirs = await newStore(otherDir, PASS);
    createRepos(theirs.store).patients.create(patientInput.parse({ givenName: 'Foreign', familyName: 'Clinic', birthDate: '1990-01-01' }), actor);
    const theirId = theirs.store.deviceId;
    theirs.store.close();
    const bak = await backupOf(theirs.file, join(otherDir, 'theirs.cairnbak'));

    const before = snapshot(t.dir);
    const refused = restoreBackup({ backup: bak, dbFile: ours.file, passphrase: PASS, resourcesDir });
    await expect(refused).rejects.toMatchObject({ reason: 'foreign', code: 'conflict' });
    await expect(refused).rejects.toThrow(
      new RegExp(
        `^backup .*theirs\\.cairnbak is of another database \\(device ${theirId}\\), not of .*clinic\\.cairn \\(device [0-9a-f-]{36}\\); nothing was restored$`,
      ),
    );
    expect(snapshot(t.dir)).toEqual(before);
    const { store: still } = await unlockDatabase(ours.file, PASS, { resourcesDir });
    expect(contents(still)).toEqual(ourRows);
    still.close();

    await restoreBackup({ backup: bak, dbFile: ours.file, passphrase: PASS, resourcesDir, forceForeign: true });
    const { store: replaced } = await unlockDatabase(ours.file, PASS, { resourcesDir });
    expect(replaced.deviceId).toBe(theirId);
    replaced.close();
  });

  it('after a rekey, an older backup opens with the old passphrase: restoring it needs --force-foreign and brings the old passphrase back', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    store.close();
    const bak = await backupOf(file, join(t.dir, 'bak', 'old.cairnbak'));
    await rekeyDatabase({ dbFile: file, passphrase: PASS, newPassphrase: 'the brand new passphrase', kdf: TEST_KDF });
    const before = snapshot(t.dir);
    await expect(restoreBackup({ backup: bak, dbFile: file, passphrase: PASS, resourcesDir })).rejects.toThrow(
      /cannot confirm that backup .* is of the existing database .* \(it does not open with this passphrase\); nothing was restored$/,
    );
    expect(snapshot(t.dir)).toEqual(before);
    const rekeyedHeader = readFileSync(headerPathFor(file));
    await restoreBackup({ backup: bak, dbFile: file, passphrase: PASS, resourcesDir, forceForeign: true });
    await expect(unlockDatabase(file, 'the brand new passphrase', { resourcesDir })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    // As if killed between the rename and the promotion: the rekeyed header is still the main one,
    // the backup's is pending. The old passphrase opens the restored file and promotes its header.
    writeFileSync(pendingHeaderPathFor(file), readFileSync(headerPathFor(file)));
    writeFileSync(headerPathFor(file), rekeyedHeader);
    const { store: again } = await unlockDatabase(file, PASS, { resourcesDir });
    expect(createRepos(again).patients.find('Vandersloot', 5)).toHaveLength(1);
    again.close();
    expect(existsSync(pendingHeaderPathFor(file))).toBe(false);
    expect(readFileSync(headerPathFor(file)).equals(rekeyedHeader)).toBe(false);
  });

  it('a restore to a new place killed before its header was promoted still opens, and finishes the promotion', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    store.close();
    const bak = await backupOf(file, join(t.dir, 'bak', 'new.cairnbak'));
    const fresh = join(t.dir, 'fresh', 'clinic.cairn');
    await restoreBackup({ backup: bak, dbFile: fresh, passphrase: PASS, resourcesDir });
    renameSync(headerPathFor(fresh), pendingHeaderPathFor(fresh));
    const { store: again } = await unlockDatabase(fresh, PASS, { resourcesDir });
    expect(createRepos(again).patients.find('Brackenridge', 5)).toHaveLength(1);
    again.close();
    expect(existsSync(headerPathFor(fresh))).toBe(true);
    expect(existsSync(pendingHeaderPathFor(fresh))).toBe(false);
  });

  it('cannot confirm a database without its key header: names the real file, changes nothing', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    store.close();
    const bak = await backupOf(file, join(t.dir, 'bak', 'nohdr.cairnbak'));
    renameSync(headerPathFor(file), join(t.dir, 'bak', 'moved.key.json'));
    const before = snapshot(t.dir);
    await expect(restoreBackup({ backup: bak, dbFile: file, passphrase: PASS, resourcesDir })).rejects.toThrow(
      new RegExp(
        `^cannot confirm that backup .* is of the existing database .*clinic\\.cairn \\(it cannot be read: no key header at ${file.replace(/[.]/g, '\\.')}\\.key\\.json: .*\\); nothing was restored$`,
      ),
    );
    expect(snapshot(t.dir)).toEqual(before);
  });

  it('refuses to restore over a database another connection has open', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    const bak = await backupOf(file, join(t.dir, 'bak', 'busy.cairnbak'));
    await expect(restoreBackup({ backup: bak, dbFile: file, passphrase: PASS, resourcesDir })).rejects.toMatchObject({ reason: 'in_use' });
    expect(createRepos(store).patients.find('Quartermaine', 5)).toHaveLength(1);
    store.close();
  });

  it('the backup payload is an SQLCipher file under the database key', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    store.close();
    const bak = await backupOf(file, join(t.dir, 'raw.cairnbak'));
    const { payloadOffset } = readBackupManifest(bak);
    const payloadFile = join(t.dir, 'payload.sqlite');
    writeFileSync(payloadFile, readFileSync(bak).subarray(payloadOffset));
    expect(() => openRawWithKey(payloadFile, Buffer.alloc(32, 7))).toThrow(/could not be decrypted/);
    const db = openRawWithKey(payloadFile, await keyOf(file));
    expect((db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n).toBe(NAMES.length);
    db.close();
  });
});

// ---------- the CLI ----------

const env = { ...process.env, CAIRN_PASSPHRASE: PASS };

function cairn(args: string[], extraEnv: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('electron/cli/main.ts'), ...args], {
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function oneLineError(r: { code: number; out: string; err: string }, code: number, pattern: RegExp): void {
  expect(r.code, r.err).toBe(code);
  expect(r.out).toBe('');
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err.trim()).toMatch(pattern);
}

describe('cairn backup, restore and rekey', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir('cairn-backup-cli-');
  });
  afterEach(() => t.cleanup());

  it('backup then restore: JSON on success, one-line refusals with exit codes, the database untouched on refusal', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    const rows = contents(store);
    store.close();
    const bakDir = join(t.dir, 'backups');
    mkdirSync(bakDir);

    const made = cairn(['backup', '--db', file, '--out', bakDir]);
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    const info = JSON.parse(made.out) as { backup: string; sha256: string; deviceId: string };
    expect(info.backup).toMatch(/backups\/clinic\.cairn-\d{8}T\d{6}Z\.cairnbak$/);
    expect(info.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    oneLineError(cairn(['backup', '--db', file, '--out', info.backup]), 1, /^cairn: refusing to overwrite .*\.cairnbak$/);
    oneLineError(cairn(['backup', '--db', file]), 2, /^cairn: missing --out \(see cairn --help\)$/);
    oneLineError(cairn(['backup', '--db', file, '--out', bakDir, '--frobnicate']), 2, /^cairn: unknown option --frobnicate/);
    oneLineError(cairn(['backup', '--db', file, '--out', bakDir], { CAIRN_PASSPHRASE: 'wrong wrong wrong' }), 1, /^cairn: wrong passphrase/);
    oneLineError(cairn(['backup', '--db', join(t.dir, 'nope.cairn'), '--out', bakDir]), 1, /^cairn: no such database file: .*nope\.cairn$/);

    // A foreign backup: another database made with the same passphrase.
    const otherDir = join(t.dir, 'other');
    mkdirSync(otherDir);
    const other = await newStore(otherDir, PASS);
    other.store.close();
    const foreign = cairn(['backup', '--db', other.file, '--out', join(otherDir, 'foreign.cairnbak')]);
    expect(foreign.code).toBe(0);

    const damaged = join(t.dir, 'damaged.cairnbak');
    writeFileSync(damaged, readFileSync(info.backup));
    flipMiddle(damaged);
    const before = snapshot(t.dir);
    oneLineError(
      cairn(['restore', '--backup', join(otherDir, 'foreign.cairnbak'), '--db', file]),
      1,
      /^cairn: backup .*foreign\.cairnbak is of another database \(device .*\); nothing was restored\. To replace it anyway: --force-foreign$/,
    );
    oneLineError(cairn(['restore', '--backup', damaged, '--db', file]), 1, /^cairn: backup .*damaged\.cairnbak is damaged: its checksum does not match/);
    oneLineError(cairn(['restore', '--backup', join(t.dir, 'missing.cairnbak'), '--db', file]), 1, /^cairn: no such backup file: /);
    oneLineError(cairn(['restore', '--db', file]), 2, /^cairn: missing --backup/);
    expect(snapshot(t.dir)).toEqual(before);

    const restoredFile = join(t.dir, 'new-machine', 'clinic.cairn');
    const ok = cairn(['restore', '--backup', info.backup, '--db', restoredFile]);
    expect(ok.err).toBe('');
    expect(JSON.parse(ok.out)).toMatchObject({ restored: restoredFile, replaced: false, deviceId: info.deviceId });
    const over = cairn(['restore', '--backup', info.backup, '--db', file]);
    expect(over.code, over.err).toBe(0);
    expect(JSON.parse(over.out)).toMatchObject({ replaced: true });
    const verify = cairn(['verify', '--db', restoredFile]);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.out)).toMatchObject({ sound: true, auditChain: 'intact' });
    const { store: again } = await unlockDatabase(restoredFile, PASS, { resourcesDir });
    expect(contents(again)).toEqual(rows);
    again.close();
    const forced = cairn(['restore', '--backup', join(otherDir, 'foreign.cairnbak'), '--db', file, '--force-foreign']);
    expect(forced.code, forced.err).toBe(0);
  });

  it('rekey: the new passphrase opens the database, the old one no longer does, the data stays', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    seed(store);
    const rows = contents(store);
    store.close();
    const oldHeader = readFileSync(headerPathFor(file), 'utf8');
    oneLineError(cairn(['rekey', '--db', file], { CAIRN_NEW_PASSPHRASE: 'short' }), 1, /^cairn: new passphrase must be at least 12 characters$/);
    oneLineError(
      cairn(['rekey', '--db', file], { CAIRN_PASSPHRASE: 'not the right one', CAIRN_NEW_PASSPHRASE: 'a new clinic passphrase' }),
      1,
      /^cairn: wrong passphrase/,
    );
    oneLineError(
      cairn(['rekey', '--db', file], { CAIRN_NEW_PASSPHRASE: '' }),
      1,
      /^cairn: new clinic passphrase required: set CAIRN_NEW_PASSPHRASE or run on a terminal to be asked$/,
    );
    expect(readFileSync(headerPathFor(file), 'utf8')).toBe(oldHeader);

    const r = cairn(['rekey', '--db', file], { CAIRN_NEW_PASSPHRASE: 'a new clinic passphrase' });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ database: file, passphrase: 'changed', kdf: { name: 'scrypt', N: 2 ** 17 } });
    expect(JSON.parse(readFileSync(headerPathFor(file), 'utf8'))).not.toMatchObject({ salt: (JSON.parse(oldHeader) as { salt: string }).salt });
    oneLineError(cairn(['verify', '--db', file]), 1, /^cairn: wrong passphrase/);
    const v = cairn(['verify', '--db', file], { CAIRN_PASSPHRASE: 'a new clinic passphrase' });
    expect(v.code, v.err).toBe(0);
    const { store: again } = await unlockDatabase(file, 'a new clinic passphrase', { resourcesDir });
    expect(contents(again)).toEqual(rows);
    again.close();
  });
});
