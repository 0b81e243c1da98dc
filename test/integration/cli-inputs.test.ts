import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairn, CLI_ENV } from '../helpers/cli';
import { tempDir } from '../helpers/temp-db';

/** The CLI as a child process with a deadline: a command that spins is killed and reads as a failure. */
function cairnWithin(args: string[]): { code: number | null; out: string; err: string; killed: boolean } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('electron/cli/main.ts'), ...args], {
    env: { ...process.env, ...CLI_ENV },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 90_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, killed: r.signal !== null };
}

const bundle = (given: string): string =>
  JSON.stringify({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      {
        fullUrl: 'urn:uuid:4e0b7f2a-0d6c-4d0e-9a59-5d9b8a1d2c01',
        resource: {
          resourceType: 'Patient',
          id: '4e0b7f2a-0d6c-4d0e-9a59-5d9b8a1d2c01',
          name: [{ family: 'Delacroix', given: [given] }],
          gender: 'male',
          birthDate: '1971-02-03',
        },
      },
    ],
  });

/** Bad input that once slipped through: each gets a clear one-line error and a non-zero exit. */
describe('the CLI refuses bad input clearly', () => {
  const t = tempDir('cairn-cli-inputs-');
  const db = join(t.dir, 'clinic.cairn');
  beforeAll(() => {
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
  }, 120_000);
  afterAll(() => t.cleanup());

  it('cairn backup --out /proc/nope/x: one line naming the folder, exit 1 (it used to spin at 100 % CPU)', () => {
    const r = cairnWithin(['backup', '--db', db, '--out', '/proc/nope/x']);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual([
      expect.stringMatching(/^cairn: cannot write the backup \/proc\/nope\/x: the folder \/proc\/nope cannot be created \(/),
    ]);
    // Under a file, too.
    const file = join(t.dir, 'a-file');
    writeFileSync(file, 'x');
    const under = cairnWithin(['backup', '--db', db, '--out', join(file, 'x.cairnbak')]);
    expect([under.code, under.err.trim()]).toEqual([1, `cairn: cannot write the backup ${join(file, 'x.cairnbak')}: ${file} is a file, not a folder`]);
  }, 300_000);

  it('cairn import fhir of Latin-1 bytes is refused naming the file (never stored as U+FFFD); UTF-8 with a BOM and UTF-16 are read as declared', () => {
    const latin = join(t.dir, 'latin1.json');
    writeFileSync(latin, Buffer.from(bundle('Jérôme'), 'latin1'));
    const r = cairn(['import', 'fhir', '--db', db, latin]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(
      new RegExp(`^cairn: ${latin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not UTF-8 \\(byte 0xE9 at offset \\d+, line 1;.*re-save the file as UTF-8`),
    );
    expect(cairn(['patients', 'search', '--db', db, 'Delacroix']).out).not.toMatch(/Delacroix/);

    // The same bundle in encodings JSON allows: UTF-16 LE with its byte order mark, then UTF-8 with one.
    const wide = join(t.dir, 'utf16.json');
    writeFileSync(wide, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bundle('Jérôme'), 'utf16le')]));
    const ok = cairn(['import', 'fhir', '--db', db, wide]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    const bom = join(t.dir, 'bom.json');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(bundle('Jérôme'), 'utf8')]));
    expect(cairn(['import', 'fhir', '--db', db, bom]).code).toBe(0);
    const found = JSON.parse(cairn(['patients', 'search', '--db', db, 'Delacroix']).out) as { givenName: string }[];
    expect(found.map((p) => p.givenName)).toEqual(['Jérôme']);
  }, 300_000);

  it('cairn hl7 import of an empty file: one JSON line saying so, exit 1', () => {
    const empty = join(t.dir, 'empty.hl7');
    writeFileSync(empty, '');
    const r = cairn(['hl7', 'import', '--db', db, empty]);
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.out)).toEqual({ file: empty, ack: null, results: 0, error: 'the file is empty: it holds no HL7 message (none begins with MSH)' });
    const blank = join(t.dir, 'blank.hl7');
    writeFileSync(blank, '\r\n\n  \n');
    expect(cairn(['hl7', 'import', '--db', db, blank]).code).toBe(1);
  }, 300_000);
});
