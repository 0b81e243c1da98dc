import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseInviteCode } from '../../../shared/domain/portal';
import { dispatch } from '../../../electron/services/dispatch';
import { createHandlers } from '../../../electron/services/handlers';
import { Session } from '../../../electron/services/session';
import { CLI_ENV, cairn } from '../../helpers/cli';
import { pdfLines } from '../../helpers/pdf-text';
import { resourcesDir, tempDir } from '../../helpers/temp-db';

// `cairn portal invite` exactly as issue #21 names it, through the real command line (one process
// per command, ~1–2 s each: the commands are few and each checks all it prints).

/** Runs a command that must succeed and returns its JSON output. */
function ok<T>(args: string[]): T {
  const r = cairn(args);
  expect(r.err, args.slice(0, 2).join(' ')).toBe('');
  expect(r.code, args.slice(0, 2).join(' ')).toBe(0);
  return JSON.parse(r.out) as T;
}

describe('cairn portal invite: a code and its letter from the command line', () => {
  const t = tempDir('cairn-portal-cli-');
  const db = join(t.dir, 'clinic.cairn');
  let adult: string;
  let child: string;

  /** The invitations stored, read back through a real session. */
  async function stored(): Promise<Record<string, unknown>[]> {
    const session = new Session({ dbFile: db, resourcesDir });
    try {
      const r = await dispatch(createHandlers({ session }), 'session.unlock', { passphrase: CLI_ENV.CAIRN_PASSPHRASE });
      expect(r.ok).toBe(true);
      return session.repos.store.sqlite.prepare('SELECT * FROM portal_invites ORDER BY created_at').all() as Record<string, unknown>[];
    } finally {
      session.close();
    }
  }

  beforeAll(() => {
    ok(['init', '--db', db, '--admin', 'alice', '--clinic', 'Hilltop Family Medicine']);
    adult = ok<{ id: string }>(['patients', 'add', '--db', db, '--given', 'Jane', '--family', 'Synthetic', '--birth-date', '1980-02-03', '--sex', 'female']).id;
    child = ok<{ id: string }>(['patients', 'add', '--db', db, '--given', 'Kit', '--family', 'Synthetic', '--birth-date', '2016-06-01', '--sex', 'male']).id;
  });
  afterAll(() => t.cleanup());

  it('writes the letter and prints the code, its expiry and the invitation id; the database keeps only the hash', async () => {
    const out = join(t.dir, 'letter.pdf');
    const before = Date.now();
    const r = ok<{ code: string; expiresAt: string; inviteId: string; file: string }>(['portal', 'invite', '--db', db, '--patient', adult, '--out', out]);
    expect(r.code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
    expect(r.file).toBe(out);
    const days = (Date.parse(r.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(13.99);
    expect(days).toBeLessThan(14.01);
    const pdf = readFileSync(out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
    expect(pdfLines(pdf)).toEqual(expect.arrayContaining(['To: Jane Synthetic', r.code]));
    const [row] = await stored();
    expect(row).toMatchObject({ id: r.inviteId, patient_id: adult, kind: 'self', expires_at: r.expiresAt });
    expect(String(row!['created_by'])).toMatch(/^cli:/);
    expect(row!['code_hash']).toBe(createHash('sha256').update(normaliseInviteCode(r.code)).digest('hex'));
  });

  it('makes a proxy invitation for a parent or guardian', () => {
    const out = join(t.dir, 'kit.pdf');
    const r = ok<{ code: string }>([
      'portal',
      'invite',
      '--db',
      db,
      '--patient',
      child,
      '--out',
      out,
      '--proxy-name',
      'Sam Synthetic',
      '--relationship',
      'father',
    ]);
    expect(pdfLines(readFileSync(out))).toEqual(expect.arrayContaining(['To: Parent/guardian of Kit Synthetic', 'Attention: Sam Synthetic', r.code]));
  });

  it('refuses, with a line a person can act on and no invitation made: a missing patient, bad flags, an unwritable path', async () => {
    const cases: { args: string[]; code: number; err: string }[] = [
      {
        args: ['--patient', '01960000-0000-7000-8000-0000000000ff', '--out', join(t.dir, 'x.pdf')],
        code: 1,
        err: 'cairn: no patient with id 01960000-0000-7000-8000-0000000000ff\n',
      },
      {
        args: ['--patient', 'MRN123', '--out', join(t.dir, 'x.pdf')],
        code: 2,
        err: `cairn: --patient takes the patient's id (a UUID, as cairn patients search prints it), got "MRN123"\n`,
      },
      { args: ['--patient', adult], code: 2, err: 'cairn: missing --out (see cairn --help)\n' },
      {
        args: ['--patient', child, '--out', join(t.dir, 'y.pdf'), '--proxy-name', 'Sam Synthetic'],
        code: 2,
        err: 'cairn: a proxy invitation needs both --proxy-name and --relationship (see cairn --help)\n',
      },
      { args: ['--patient', adult, '--out', join(t.dir, 'x.pdf'), '--email', 'a@b.c'], code: 2, err: 'cairn: unknown option --email (see cairn --help)\n' },
      {
        args: ['--patient', adult, '--out', join(t.dir, 'no-such-folder', 'x.pdf')],
        code: 1,
        err: `cairn: cannot write the letter: the folder ${join(t.dir, 'no-such-folder')} does not exist\n`,
      },
      {
        args: ['--patient', adult, '--out', join(t.dir, 'letter.pdf')],
        code: 1,
        err: `cairn: refusing to overwrite ${join(t.dir, 'letter.pdf')}: it may be the only copy of another letter; choose another --out\n`,
      },
    ];
    // A folder the command line may not write to (the tests may run as root, who writes anywhere: then skipped).
    const locked = join(t.dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    let lockedWorks = false;
    try {
      writeFileSync(join(locked, 'probe'), '');
    } catch {
      lockedWorks = true;
    }
    if (lockedWorks)
      cases.push({
        args: ['--patient', adult, '--out', join(locked, 'x.pdf')],
        code: 1,
        err: `cairn: cannot write the letter: the folder ${locked} is not writable\n`,
      });
    for (const c of cases) {
      const r = cairn(['portal', 'invite', '--db', db, ...c.args]);
      expect({ code: r.code, err: r.err, out: r.out }, c.args.join(' ')).toEqual({ code: c.code, err: c.err, out: '' });
    }
    expect(existsSync(join(t.dir, 'x.pdf'))).toBe(false);
    expect(await stored()).toHaveLength(2);
    expect(cairn(['portal']).code).toBe(2);
    expect(cairn(['--help']).out).toContain('cairn portal invite --db FILE --patient ID --out letter.pdf');
  });
});
