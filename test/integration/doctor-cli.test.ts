import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn } from '../helpers/cli';
import { newStore, tempDir } from '../helpers/temp-db';

interface Report {
  ok: boolean;
  checks: { id: string; title: string; status: 'pass' | 'warn' | 'fail' | 'unknown'; message: string }[];
}

describe('cairn doctor', () => {
  const t = tempDir('cairn-doctor-');
  afterAll(() => t.cleanup());

  it('fails a server data directory others can read, naming the chmod, and reports its volume', () => {
    const dir = join(t.dir, 'srv');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const human = cairn(['doctor', '--data-dir', dir]);
    expect(human.code).toBe(1);
    expect(human.out).toContain(
      `FAIL     Clinic server data directory is owner-only: ${dir} has mode 755: other users can read the clinic's records; run "chmod -R go-rwx ${dir}"`,
    );
    expect(human.out).toMatch(/^(ok|FAIL|unknown) +Clinic server data directory is on an encrypted volume: /m);
    expect(human.out.trim().split('\n').at(-1)).toMatch(/^\d checks? failed\.$/);

    const json = cairn(['doctor', '--data-dir', dir, '--json']);
    const report = JSON.parse(json.out) as Report;
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.id)).toEqual(['server.data_dir.modes', 'server.data_dir.encrypted_volume']);
    expect(report.checks[0]!.status).toBe('fail');
    const volume = report.checks[1]!;
    expect(['pass', 'fail', 'unknown']).toContain(volume.status);
    // An unencrypted volume fails (PGlite keeps the records in clear there); "unknown" says to check, never passes silently.
    if (volume.status !== 'pass') expect(volume.message).toContain('encrypted volume');

    chmodSync(dir, 0o700);
    const fixed = JSON.parse(cairn(['doctor', '--data-dir', dir, '--json']).out) as Report;
    expect(fixed.checks[0]).toMatchObject({ status: 'pass', message: `${dir} is 700 (the server keeps the files in it 600)` });
    expect(fixed.ok).toBe(volume.status !== 'fail');
  });

  it('checks a device database and its files', async () => {
    const { store, file } = await newStore(t.dir);
    store.close();
    const ok = JSON.parse(cairn(['doctor', '--db', file, '--json']).out) as Report;
    expect(ok.checks.map((c) => [c.id, c.status === 'fail'])).toEqual([
      ['device.database.modes', false],
      ['device.database.encrypted_volume', false],
    ]);
    expect(ok.ok).toBe(true);
    chmodSync(file, 0o644);
    const open = cairn(['doctor', '--db', file]);
    expect(open.code).toBe(1);
    expect(open.out).toContain(`${file} is 644`);
  });

  it('says what to give when given nothing', () => {
    expect(cairn(['doctor'])).toMatchObject({
      code: 2,
      err: 'cairn: give --data-dir DIR (the clinic server) and/or --db FILE (a device database) (see cairn --help)\n',
    });
    expect(cairn(['--help']).out).toContain('cairn doctor [--data-dir DIR] [--db FILE] [--json]');
  });
});
