import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { patientInput } from '../../shared/domain/patient';
import { startServer } from '../../electron/server/server';
import { unlockDatabase } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { CLI_ENV } from '../helpers/cli';
import { newStore, resourcesDir, tempDir } from '../helpers/temp-db';

const mode = (p: string): number => statSync(p).mode & 0o777;

/** Every file and folder under `dir` that group or others can reach, with its mode. */
function openEntries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) continue;
      if ((st.mode & 0o077) !== 0) out.push(`${p} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe('owner-only files, whatever the umask', () => {
  const t = tempDir('cairn-modes-');
  afterAll(() => t.cleanup());

  it('creates the device database, its -wal and -shm and the key header 0600 under umask 022, and mends an old 0644 file', async () => {
    const old = process.umask(0o022);
    try {
      const dir = join(t.dir, 'device');
      mkdirSync(dir);
      const { store, file } = await newStore(dir, 'device modes passphrase');
      createRepos(store).patients.create(patientInput.parse({ givenName: 'Mode', familyName: 'Check', birthDate: '1990-01-01' }), { userId: 'u' });
      for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.key.json`]) expect([f, mode(f).toString(8)]).toEqual([f, '600']);
      store.close();
      // A file an older version left world-readable is made owner-only when it is opened.
      chmodSync(file, 0o644);
      const { store: again } = await unlockDatabase(file, 'device modes passphrase', { resourcesDir });
      expect(mode(file).toString(8)).toBe('600');
      for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) expect(mode(f).toString(8)).toBe('600');
      again.close();
    } finally {
      process.umask(old);
    }
  });

  it('refuses to start the clinic server on a data directory others can read, saying the chmod to run', async () => {
    const dir = join(t.dir, 'open-server');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'PG_VERSION'), '17\n', { mode: 0o644 });
    await expect(startServer({ target: { dataDir: dir }, resourcesDir, port: 0 })).rejects.toThrow(
      `the clinic server's data directory ${dir} can be read or changed by other users (mode 755); it holds the clinic's records: run "chmod -R go-rwx ${dir}" as the user the server runs as, then start it again`,
    );
    // Nothing was changed or written: the installer decides.
    expect(mode(dir).toString(8)).toBe('755');
    expect(readdirSync(dir)).toEqual(['PG_VERSION']);
  });

  it('runs `cairn server` under umask 022 and leaves every file of its data directory owner-only', async () => {
    const dir = join(t.dir, 'server-data');
    // The shell sets the umask a service manager or a login shell would give.
    const child = spawn(
      '/bin/sh',
      ['-c', `umask 022; exec "${process.execPath}" --import tsx "${resolve('electron/cli/main.ts')}" server --data-dir "${dir}" --port 0`],
      { env: { ...process.env, ...CLI_ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const first = await new Promise<{ listening: string }>((res, rej) => {
      createInterface({ input: child.stdout }).once('line', (l) => res(JSON.parse(l) as { listening: string }));
      child.once('exit', (code) => rej(new Error(`cairn server exited (${code}): ${err}`)));
    });
    expect((await fetch(`${first.listening}/health`)).status).toBe(200);
    // PGlite makes its files 0666 whatever the umask: the server took those bits off as it started.
    expect(mode(dir).toString(8)).toBe('700');
    expect(openEntries(dir)).toEqual([]);
    expect(mode(join(dir, 'cairn-server.json')).toString(8)).toBe('600');
    await new Promise<void>((res) => {
      child.once('exit', () => res());
      child.kill('SIGTERM');
    });
    expect(mode(dir).toString(8)).toBe('700');
    expect(readdirSync(dir).length).toBeGreaterThan(10);
    expect(openEntries(dir)).toEqual([]);
  });
});
