import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clearRunningInfo } from '../server/server-info';
import { reason, type ShellLog, type ShellUtilityProcess } from './electron-surface';

/** Messages to the child (embedded-server.child.ts). */
export type ToServerChild = { type: 'start'; userData: string; resourcesDir: string } | { type: 'stop' };

/** Messages from the child. */
export type FromServerChild =
  | { type: 'absent' }
  | { type: 'started'; url: string; mllpPort: number | null }
  | { type: 'failed'; message: string }
  | { type: 'log'; level: 'info' | 'error'; line: string };

export type EmbeddedServerState =
  | { state: 'absent' }
  | { state: 'starting' }
  | { state: 'running'; url: string; mllpPort: number | null }
  | { state: 'failed'; message: string }
  | { state: 'stopped' };

export interface EmbeddedServerOptions {
  userData: string;
  resourcesDir: string;
  log: ShellLog;
  /** How long the child may take to close before it is killed. */
  stopTimeoutMs?: number;
}

/** Where the embedded server keeps its data (and its running-info file with the admin token). */
export const embeddedDataDir = (userData: string): string => join(userData, 'clinic-server');

const isMessage = (m: unknown): m is FromServerChild => typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';

/**
 * The main side of the embedded clinic server, which runs in a utilityProcess so PGlite, sync and the
 * MLLP listener never take the window's thread. It talks to the child only by messages: start with the
 * data folder, then stop. Only started when clinic-server.json exists (most devices run no server).
 * Closing asks the child to close (PGlite, the FHIR access log, the running-info file); a child that
 * does not exit in time is killed and its running-info file, which holds the admin token, is removed here.
 */
export class EmbeddedServerHost {
  private child: ShellUtilityProcess | null = null;
  private state: EmbeddedServerState = { state: 'absent' };
  private exited: Promise<void> = Promise.resolve();
  private settle: ((s: EmbeddedServerState) => void) | null = null;
  private readonly settled: Promise<EmbeddedServerState>;

  constructor(
    private readonly spawn: () => ShellUtilityProcess,
    private readonly o: EmbeddedServerOptions,
  ) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
  }

  get current(): EmbeddedServerState {
    return this.state;
  }

  /** Starts the child when clinic-server.json asks for a server; returns at once (see `ready`). */
  start(): void {
    if (this.child) return;
    if (!existsSync(join(this.o.userData, 'clinic-server.json'))) return this.become({ state: 'absent' });
    this.state = { state: 'starting' };
    const child = this.spawn();
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        this.child = null;
        // A running server that dies leaves its running-info file behind: remove it (it holds the admin token).
        clearRunningInfo(embeddedDataDir(this.o.userData));
        if (this.state.state === 'running' || this.state.state === 'starting') {
          this.o.log.error({ event: 'clinic_server.exited', code }, `the embedded clinic server stopped unexpectedly (exit code ${code})`);
          this.become({ state: 'failed', message: `the embedded clinic server process ended (exit code ${code})` });
        }
        resolve();
      }),
    );
    child.on('message', (m) => this.receive(m));
    this.send({ type: 'start', userData: this.o.userData, resourcesDir: this.o.resourcesDir });
  }

  /** Resolves once the server is running, absent or failed. */
  ready(): Promise<EmbeddedServerState> {
    return this.settled;
  }

  /** Closes the server and ends its process; never throws, and returns within the stop timeout. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const wasRunning = this.state.state === 'running';
    this.state = { state: 'stopped' };
    const ms = this.o.stopTimeoutMs ?? 6_000;
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
      Promise.resolve().then(() => {
        this.send({ type: 'stop' }, child);
        return new Promise<boolean>(() => undefined);
      }),
    ]);
    clearTimeout(timer);
    if (!inTime) {
      this.o.log.warn({ event: 'clinic_server.stop_timeout', ms }, `the embedded clinic server did not close in ${ms} ms: ending its process`);
      this.kill();
    } else if (wasRunning) {
      this.o.log.info({ event: 'clinic_server.stopped' }, 'the embedded clinic server closed');
    }
  }

  /** Ends the child at once and removes its running-info file (the quit sequence's last resort). */
  kill(): void {
    this.state = { state: 'stopped' };
    try {
      this.child?.kill();
    } catch (e) {
      this.o.log.warn({ event: 'clinic_server.kill_failed', reason: reason(e) }, 'the embedded clinic server process could not be ended');
    }
    clearRunningInfo(embeddedDataDir(this.o.userData));
  }

  private send(m: ToServerChild, child = this.child): void {
    try {
      child?.postMessage(m);
    } catch (e) {
      // The child is gone already: its 'exit' handler has cleaned up.
      this.o.log.warn({ event: 'clinic_server.unreachable', reason: reason(e) }, 'the embedded clinic server process could not be reached');
    }
  }

  private become(s: EmbeddedServerState): void {
    this.state = s;
    this.settle?.(s);
    this.settle = null;
  }

  private receive(m: unknown): void {
    if (!isMessage(m)) return;
    switch (m.type) {
      case 'log':
        if (m.level === 'error') this.o.log.error({ event: 'clinic_server.log' }, m.line);
        else this.o.log.info({ event: 'clinic_server.log' }, m.line);
        return;
      case 'absent':
        this.become({ state: 'absent' });
        this.send({ type: 'stop' });
        return;
      case 'started':
        this.o.log.info({ event: 'clinic_server.started', url: m.url, mllpPort: m.mllpPort }, `the embedded clinic server is listening at ${m.url}`);
        if (this.state.state === 'starting') this.become({ state: 'running', url: m.url, mllpPort: m.mllpPort });
        return;
      case 'failed':
        this.o.log.error({ event: 'clinic_server.failed', reason: m.message }, m.message);
        this.become({ state: 'failed', message: m.message });
        this.send({ type: 'stop' });
        return;
    }
  }
}
