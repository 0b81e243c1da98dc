import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unlockDatabase, verifyStore } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { newStore, resourcesDir, tempDir } from '../helpers/temp-db';

const PASS = 'durability passphrase';

describe('a process killed right after a committed write', () => {
  it('loses nothing: SIGKILL after commit, reopen finds every row and a sound file', async () => {
    const t = tempDir();
    try {
      const { store, file } = await newStore(t.dir, PASS);
      store.close();
      // The child writes patients one commit at a time and reports each committed MRN; we kill
      // it with SIGKILL (no cleanup, no checkpoint) as soon as it has reported some.
      const child = spawn(process.execPath, ['--import', 'tsx', resolve('test/helpers/write-until-killed.ts'), file, PASS], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const committed: string[] = [];
      await new Promise<void>((done, fail) => {
        child.stdout.setEncoding('utf8');
        let buf = '';
        child.stdout.on('data', (chunk: string) => {
          buf += chunk;
          const lines = buf.split('\n');
          buf = lines.pop() ?? '';
          for (const l of lines) if (l.startsWith('committed ')) committed.push(l.slice('committed '.length));
          if (committed.length >= 25 && !child.killed) child.kill('SIGKILL');
        });
        child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`child exited without being killed (${signal})`))));
      });
      expect(committed.length).toBeGreaterThanOrEqual(25);
      const { store: again } = await unlockDatabase(file, PASS, { resourcesDir });
      const repos = createRepos(again);
      for (const mrn of committed) expect(repos.patients.find(mrn, 1)[0]?.mrn, `MRN ${mrn} lost`).toBe(mrn);
      const counts = again.sqlite
        .prepare('SELECT (SELECT count(*) FROM patients) AS p, (SELECT count(*) FROM sync_outbox) AS o, (SELECT count(*) FROM audit_log) AS a')
        .get() as { p: number; o: number; a: number };
      // Row, outbox and audit entries were written together: the counts agree.
      expect(counts.o).toBe(counts.p);
      expect(counts.a).toBe(counts.p);
      expect(verifyStore(again, { resourcesDir }).integrity).toEqual(['ok']);
      expect(repos.audit.firstBroken()).toBeNull();
      again.close();
    } finally {
      t.cleanup();
    }
  });
});
