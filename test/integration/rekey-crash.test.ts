import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REKEY_STEPS, rekeyDatabase } from '../../electron/services/backup/rekey';
import { headerPathFor, pendingHeaderPathFor } from '../../electron/services/db/key-header';
import { unlockDatabase, verifyStore } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import { newStore, resourcesDir, tempDir, TEST_KDF } from '../helpers/temp-db';

const OLD = 'the old clinic passphrase';
const NEW = 'the new clinic passphrase';
const PATIENTS = 1500;
/** Kills at evenly spread moments, plus one in the middle of each stretch between steps. */
const EVEN_RUNS = 8;

const t = tempDir('cairn-rekey-');
let template = '';

beforeAll(async () => {
  const { store, file } = await newStore(t.dir, OLD);
  const repos = createRepos(store);
  store.sqlite.transaction(() => {
    for (let i = 0; i < PATIENTS; i++)
      repos.patients.create(patientInput.parse({ givenName: `Given${i}`, familyName: `Rekeyfamily${i % 50}`, birthDate: '1980-02-03' }), {
        userId: 'rekey-test',
      });
  })();
  store.close();
  template = file;
});
afterAll(() => t.cleanup());

/** A fresh copy of the template database (it was closed cleanly: the file and its header are all of it). */
function copyOfTemplate(name: string): string {
  const dir = join(t.dir, name);
  mkdirSync(dir);
  const file = join(dir, 'clinic.cairn');
  copyFileSync(template, file);
  copyFileSync(headerPathFor(template), headerPathFor(file));
  return file;
}

/** Opens FILE with the old or the new passphrase (which one is the answer), checking every row is there and sound. */
async function opensIntact(file: string): Promise<'old' | 'new'> {
  for (const [which, pass] of [
    ['old', OLD],
    ['new', NEW],
  ] as const) {
    let opened;
    try {
      opened = await unlockDatabase(file, pass, { resourcesDir });
    } catch (e) {
      expect((e as { code?: string }).code, `${which} passphrase: ${String(e)}`).toBe('wrong_passphrase');
      continue;
    }
    const { store } = opened;
    try {
      const n = (store.sqlite.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
      expect(n).toBe(PATIENTS);
      expect(
        createRepos(store)
          .patients.find('Given1499', 5)
          .map((p) => p.givenName),
      ).toEqual(['Given1499']);
      expect(verifyStore(store, { resourcesDir }).integrity).toEqual(['ok']);
      expect(createRepos(store).audit.firstBroken()).toBeNull();
    } finally {
      store.close();
    }
    // Unlock finished a switch whose new file was in place. A pending header whose file never
    // arrived stays (harmless: it opens nothing) until the next rekey or restore replaces it.
    if (which === 'new') expect(existsSync(pendingHeaderPathFor(file))).toBe(false);
    return which;
  }
  throw new Error(`${file} opens with neither the old nor the new passphrase`);
}

interface Run {
  signal: NodeJS.Signals | null;
  code: number | null;
  steps: string[];
  /** ms since the child's start at which each step passed. */
  at: number[];
  doneMs: number | null;
}

/** Runs the rekey child; kills it `killAfterMs` after it says "start" (unless it dies at `dieAt` by itself). */
function rekeyChild(file: string, opts: { killAfterMs?: number; dieAt?: string }): Promise<Run> {
  const args = ['--import', 'tsx', resolve('test/helpers/rekey-until-killed.ts'), file, OLD, NEW, ...(opts.dieAt ? [opts.dieAt] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const run: Run = { signal: null, code: null, steps: [], at: [], doneMs: null };
  return new Promise((done, fail) => {
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (buf + chunk).split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (l === 'start' && opts.killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
        else if (l.startsWith('step ')) {
          const [, step, ms] = l.split(' ');
          run.steps.push(step!);
          run.at.push(Number(ms));
        } else if (l.startsWith('done ')) run.doneMs = Number(l.slice(5));
      }
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => done({ ...run, code, signal }));
  });
}

describe('rekey', () => {
  it('changes passphrase and key: the old passphrase is refused, the new one opens the same data', async () => {
    const file = copyOfTemplate('plain');
    const oldHeader = JSON.parse(readFileSync(headerPathFor(file), 'utf8')) as { salt: string; check: string };
    const { header } = await rekeyDatabase({ dbFile: file, passphrase: OLD, newPassphrase: NEW, kdf: TEST_KDF });
    expect(header.salt).not.toBe(oldHeader.salt);
    expect(header.check).not.toBe(oldHeader.check);
    expect(JSON.parse(readFileSync(headerPathFor(file), 'utf8'))).toEqual(header);
    await expect(unlockDatabase(file, OLD, { resourcesDir })).rejects.toThrow(/^wrong passphrase: the database was not opened and nothing was changed$/);
    expect(await opensIntact(file)).toBe('new');
    expect(readdirSync(join(t.dir, 'plain')).sort()).toEqual(['clinic.cairn', 'clinic.cairn.key.json']);
    const { store } = await unlockDatabase(file, NEW, { resourcesDir });
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
  });

  it('refuses while the database is open elsewhere, and with a wrong or too short passphrase, changing nothing', async () => {
    const file = copyOfTemplate('refusals');
    const header = readFileSync(headerPathFor(file), 'utf8');
    const { store } = await unlockDatabase(file, OLD, { resourcesDir });
    await expect(rekeyDatabase({ dbFile: file, passphrase: OLD, newPassphrase: NEW, kdf: TEST_KDF })).rejects.toMatchObject({ reason: 'in_use' });
    // The open connection goes on working.
    expect(createRepos(store).patients.find('Given7', 1)).toHaveLength(1);
    store.close();
    await expect(rekeyDatabase({ dbFile: file, passphrase: 'not the old one at all', newPassphrase: NEW, kdf: TEST_KDF })).rejects.toMatchObject({
      code: 'wrong_passphrase',
    });
    await expect(rekeyDatabase({ dbFile: file, passphrase: OLD, newPassphrase: 'short', kdf: TEST_KDF })).rejects.toThrow(
      /^new passphrase must be at least 12 characters$/,
    );
    expect(readFileSync(headerPathFor(file), 'utf8')).toBe(header);
    expect(existsSync(pendingHeaderPathFor(file))).toBe(false);
    expect(await opensIntact(file)).toBe('old');
  });

  it('killed with SIGKILL at each step boundary: before the swap the old passphrase opens it, from the swap on the new one', async () => {
    const outcomes: Record<string, string> = {};
    for (const step of REKEY_STEPS) {
      const file = copyOfTemplate(`step-${step}`);
      const run = await rekeyChild(file, { dieAt: step });
      expect(run.signal, `died at ${step}`).toBe('SIGKILL');
      expect(run.steps.at(-1)).toBe(step);
      outcomes[step] = await opensIntact(file);
      // An interrupted rekey never blocks the next one.
      await rekeyDatabase({ dbFile: file, passphrase: outcomes[step] === 'old' ? OLD : NEW, newPassphrase: 'a third clinic passphrase', kdf: TEST_KDF });
      const { store } = await unlockDatabase(file, 'a third clinic passphrase', { resourcesDir });
      expect((store.sqlite.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n).toBe(PATIENTS);
      store.close();
      expect(readdirSync(join(t.dir, `step-${step}`)).sort()).toEqual(['clinic.cairn', 'clinic.cairn.key.json']);
    }
    expect(outcomes).toEqual({ locked: 'old', copied: 'old', rekeyed: 'old', 'pending-header': 'old', swapped: 'new', promoted: 'new' });
  });

  it(`killed with SIGKILL after ${EVEN_RUNS + REKEY_STEPS.length} different delays: every time it opens with the old or the new passphrase, data intact`, async () => {
    // The first run pays for cold caches (tsx's transform cache, the page cache); time a second, warm one.
    await rekeyChild(copyOfTemplate('calibrate-cold'), {});
    const calibration = await rekeyChild(copyOfTemplate('calibrate'), {});
    expect(calibration.code).toBe(0);
    expect(calibration.steps).toEqual([...REKEY_STEPS]);
    let total = calibration.doneMs!;
    const marks = [0, ...calibration.at, total];
    // Each kill is placed as a fraction of the whole rekey, so it lands at the same stage when the machine speeds up or slows down.
    const fractions = [
      ...Array.from({ length: EVEN_RUNS }, (_, i) => (i + 0.5) / EVEN_RUNS),
      ...marks.slice(1).map((m, i) => (m + marks[i]!) / 2 / calibration.doneMs!),
    ];
    const seen: string[] = [];
    let killed = 0;
    for (const [i, fraction] of fractions.entries()) {
      // A run that finished before its kill was faster than the last one timed: re-time from it and try that moment again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const delay = Math.round(total * fraction);
        const file = copyOfTemplate(`timed-${i}-${attempt}`);
        const run = await rekeyChild(file, { killAfterMs: delay });
        const state = await opensIntact(file);
        seen.push(`${delay}ms:${run.signal ?? 'exit ' + String(run.code)}:${run.steps.at(-1) ?? 'before locking'}:${state}`);
        if (run.signal === 'SIGKILL') killed++;
        if (run.signal === 'SIGKILL' || run.doneMs === null) break;
        total = run.doneMs;
      }
    }
    // Most moments were hit part-way (the last may finish first).
    expect(killed, seen.join('\n')).toBeGreaterThanOrEqual(fractions.length / 2);
    console.log(`rekey took ${calibration.doneMs!.toFixed(1)} ms (steps at ${calibration.at.join(', ')} ms); runs:\n${seen.join('\n')}`);
  });
});
