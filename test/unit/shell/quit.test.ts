import { describe, expect, it } from 'vitest';
import { signOutWhenAway } from '../../../electron/shell/power';
import { installQuitSequence, type QuitStep } from '../../../electron/shell/quit';
import { recordingLog, StandInApp, StandInPowerMonitor, StandInWindow } from './electron-stand-ins';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The three steps the app has, each recording when it finished. */
function steps(done: string[], o: { syncMs?: number; serverHangs?: boolean; dbThrows?: boolean } = {}): QuitStep[] & { killed: string[] } {
  const killed: string[] = [];
  const list: QuitStep[] = [
    { name: 'sync worker', run: () => sleep(o.syncMs ?? 30).then(() => void done.push('sync stopped')) },
    {
      name: 'database',
      run: () => {
        if (o.dbThrows) throw new Error('database is locked');
        done.push('database closed');
      },
    },
    {
      name: 'embedded clinic server',
      run: () => (o.serverHangs ? new Promise<void>(() => undefined) : sleep(10).then(() => void done.push('server closed'))),
      onTimeout: () => void killed.push('server killed'),
    },
  ];
  return Object.assign(list, { killed });
}

describe('the quit sequence', () => {
  it('holds the quit until the sync worker has stopped, the database is closed and the server has closed, in that order', async () => {
    const app = new StandInApp();
    const done: string[] = [];
    installQuitSequence({ app, powerMonitor: new StandInPowerMonitor(), steps: steps(done, { syncMs: 100 }), log: recordingLog() });
    app.quit();
    // Not ended mid-push: the first quit was held.
    expect(app.ended).toBeNull();
    await sleep(50);
    expect(app.ended).toBeNull();
    await sleep(200);
    expect(done).toEqual(['sync stopped', 'database closed', 'server closed']);
    expect(app.ended).toEqual({ how: 'quit', code: 0 });
    expect(app.quitCalls).toBe(2);
  });

  it('runs once however many times quit is asked for', async () => {
    const app = new StandInApp();
    const done: string[] = [];
    const seq = installQuitSequence({ app, powerMonitor: new StandInPowerMonitor(), steps: steps(done), log: recordingLog() });
    app.quit();
    app.quit();
    await seq.run('quit');
    await sleep(10);
    expect(done).toEqual(['sync stopped', 'database closed', 'server closed']);
    expect(seq.finished).toBe(true);
  });

  it('cuts a step short after its limit (killing the server and removing what it would have), and goes on past a failing one', async () => {
    const app = new StandInApp();
    const done: string[] = [];
    const log = recordingLog();
    const list = steps(done, { serverHangs: true, dbThrows: true });
    installQuitSequence({ app, powerMonitor: new StandInPowerMonitor(), steps: list, log, stepTimeoutMs: 200 });
    const started = Date.now();
    app.quit();
    while (!app.ended && Date.now() - started < 5_000) await sleep(20);
    expect(app.ended).toEqual({ how: 'quit', code: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(done).toEqual(['sync stopped']);
    expect(list.killed).toEqual(['server killed']);
    expect(log.lines).toContain('quitting: database failed');
    expect(log.lines).toContain('quitting: embedded clinic server did not finish in 200 ms');
  });

  it('delays an OS shut-down or restart (Linux, macOS) until the steps are done, then quits', async () => {
    const app = new StandInApp();
    const pm = new StandInPowerMonitor();
    const done: string[] = [];
    installQuitSequence({ app, powerMonitor: pm, steps: steps(done), log: recordingLog() });
    pm.shutDown();
    expect(pm.shutdownDelayed).toBe(true);
    while (!app.ended) await sleep(10);
    expect(done).toEqual(['sync stopped', 'database closed', 'server closed']);
  });

  it('finishes within the short limits when Windows ends the session, then exits', async () => {
    const app = new StandInApp();
    const win = new StandInWindow();
    const done: string[] = [];
    const list = steps(done, { syncMs: 5_000 });
    const seq = installQuitSequence({ app, powerMonitor: new StandInPowerMonitor(), steps: list, log: recordingLog(), sessionEndTimeoutMs: 100 });
    seq.watchWindow(win);
    const started = Date.now();
    win.endSession(['logoff']);
    while (!app.ended) await sleep(10);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(app.ended).toEqual({ how: 'exit', code: 0 });
    expect(done).toEqual(['database closed', 'server closed']);
  });
});

describe('the OS locking the screen or sleeping', () => {
  it('signs the user out, with the reason in the log', () => {
    const pm = new StandInPowerMonitor();
    const log = recordingLog();
    const signedOut: string[] = [];
    signOutWhenAway(pm, (why) => signedOut.push(why), log);
    pm.emit('lock-screen');
    pm.emit('suspend');
    pm.emit('resume');
    expect(signedOut).toEqual(['lock-screen', 'suspend']);
    expect(log.lines).toEqual(['signed out: the system locked the screen', 'signed out: the system went to sleep']);
  });
});
