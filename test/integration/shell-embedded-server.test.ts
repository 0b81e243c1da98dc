import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ShellLog, ShellUtilityProcess } from '../../electron/shell/electron-surface';
import { EmbeddedServerHost, embeddedDataDir } from '../../electron/shell/embedded-server';
import { resourcesDir, tempDir } from '../helpers/temp-db';

/*
 * The embedded clinic server runs in its own process (Electron's utilityProcess in the app). Electron
 * is not here, so the child runs as a Node child_process.fork behind a stand-in with utilityProcess's
 * main-side surface (postMessage, 'message', 'exit', kill), and starts the real server (PGlite) from a
 * real clinic-server.json.
 */

const CHILD = resolve('electron/shell/embedded-server.child.ts');

/** utilityProcess's main side over a forked Node process (kill() is SIGTERM on POSIX, as in Electron). */
class ForkedUtilityProcess extends EventEmitter implements ShellUtilityProcess {
  readonly child: ChildProcess;
  constructor() {
    super();
    this.child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m) => this.emit('message', m));
    this.child.on('exit', (code) => this.emit('exit', code ?? 1));
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }
  kill(): boolean {
    return this.child.kill();
  }
}

function recordingLog(): ShellLog & { lines: string[] } {
  const lines: string[] = [];
  const add = (_o: object, msg: string): void => void lines.push(msg);
  return { lines, info: add, warn: add, error: add };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });

const exitOf = (p: ForkedUtilityProcess): Promise<void> =>
  new Promise((r) => (p.child.exitCode !== null || p.child.signalCode ? r() : p.child.once('exit', () => r())));

describe('the embedded clinic server in its own process', () => {
  const t = tempDir('cairn-shell-server-');
  const spawned: ForkedUtilityProcess[] = [];
  const spawn = (): ForkedUtilityProcess => {
    const p = new ForkedUtilityProcess();
    spawned.push(p);
    return p;
  };
  afterAll(async () => {
    for (const p of spawned) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(spawned.map(exitOf));
    t.cleanup();
  });

  function userData(name: string, config: string | null): string {
    const dir = join(t.dir, name);
    mkdirSync(dir, { recursive: true });
    if (config !== null) writeFileSync(join(dir, 'clinic-server.json'), config);
    return dir;
  }

  it('starts from clinic-server.json, and closes on quit: port released, running-info file (admin token) removed, process ended', async () => {
    const port = await freePort();
    const dir = userData('running', JSON.stringify({ port }));
    const log = recordingLog();
    const host = new EmbeddedServerHost(spawn, { userData: dir, resourcesDir, log });
    host.start();
    const state = await host.ready();
    expect(state).toEqual({ state: 'running', url: `http://127.0.0.1:${port}`, mllpPort: null });
    const info = join(embeddedDataDir(dir), 'cairn-server.json');
    expect(existsSync(info)).toBe(true);
    expect(await accepts(port)).toBe(true);
    // Not this process: the server runs in the child.
    expect(spawned.at(-1)!.pid).not.toBe(process.pid);

    await host.close();
    expect(spawned.at(-1)!.child.exitCode).toBe(0);
    expect(existsSync(info)).toBe(false);
    expect(await accepts(port)).toBe(false);
    expect(log.lines.some((l) => l.includes(`listening at http://127.0.0.1:${port}`))).toBe(true);
  });

  it('ends a child that does not close in time and removes its running-info file itself', async () => {
    const port = await freePort();
    // The same data folder as above, started again (PGlite opens its existing database).
    const dir = userData('running', JSON.stringify({ port }));
    const log = recordingLog();
    const host = new EmbeddedServerHost(spawn, { userData: dir, resourcesDir, log, stopTimeoutMs: 1_000 });
    host.start();
    expect((await host.ready()).state).toBe('running');
    const info = join(embeddedDataDir(dir), 'cairn-server.json');
    expect(existsSync(info)).toBe(true);
    // A child that cannot answer (stopped by the OS, stuck in a long query): close must still return.
    const child = spawned.at(-1)!;
    process.kill(child.pid!, 'SIGSTOP');
    const started = Date.now();
    await host.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(existsSync(info)).toBe(false);
    expect(log.lines.some((l) => /did not close in 1000 ms/.test(l))).toBe(true);
    process.kill(child.pid!, 'SIGKILL');
    await exitOf(child);
  });

  it('reports a clinic-server.json that is not valid with the file and the reason, and the child ends', async () => {
    for (const [name, text, why] of [
      ['broken', '{ "port": 8443,', /clinic-server\.json could not be read: .*JSON/],
      ['invalid', JSON.stringify({ port: 'eighty' }), /clinic-server\.json is not valid: port: .*\(.*clinic-server\.json\)/],
    ] as const) {
      const dir = userData(name, text);
      const log = recordingLog();
      const host = new EmbeddedServerHost(spawn, { userData: dir, resourcesDir, log });
      host.start();
      const state = await host.ready();
      expect(state.state).toBe('failed');
      expect(state.state === 'failed' && state.message).toMatch(why);
      expect(log.lines.some((l) => why.test(l))).toBe(true);
      await exitOf(spawned.at(-1)!);
      expect(spawned.at(-1)!.child.exitCode).toBe(0);
      await host.close();
    }
  });

  it('starts no process at all without clinic-server.json', async () => {
    const before = spawned.length;
    const host = new EmbeddedServerHost(spawn, { userData: userData('none', null), resourcesDir, log: recordingLog() });
    host.start();
    expect(await host.ready()).toEqual({ state: 'absent' });
    expect(spawned.length).toBe(before);
    await host.close();
  });
});
