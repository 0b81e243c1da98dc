import { reason, type ShellApp, type ShellLog, type ShellPowerMonitor, type ShellWindow } from './electron-surface';

/** One thing to finish before the process ends. */
export interface QuitStep {
  name: string;
  run: () => Promise<void> | void;
  /** Called when `run` has not finished in time (kill what it waits for, remove what it would have removed). */
  onTimeout?: () => void;
}

export interface QuitOptions {
  app: ShellApp;
  powerMonitor: ShellPowerMonitor;
  /** In order: stop the sync worker (it writes the database), close the database, close the embedded server. */
  steps: QuitStep[];
  log: ShellLog;
  /** How long each step may take on an ordinary quit or an OS shut-down (Linux, macOS). */
  stepTimeoutMs?: number;
  /** Windows gives an ending session a few seconds in all, and then ends the process. */
  sessionEndTimeoutMs?: number;
}

export type QuitReason = 'quit' | 'shutdown' | 'session-end';

export interface QuitSequence {
  /** Runs the steps once (later calls get the same promise). */
  run(why: QuitReason): Promise<void>;
  /** Runs the sequence when Windows ends the session (log-off, restart, shut-down). */
  watchWindow(win: ShellWindow): void;
  readonly finished: boolean;
}

function withTimeout(step: QuitStep, ms: number, log: ShellLog): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      log.warn({ event: 'quit.step_timeout', step: step.name, ms }, `quitting: ${step.name} did not finish in ${ms} ms`);
      try {
        step.onTimeout?.();
      } catch (e) {
        log.warn({ event: 'quit.step_failed', step: step.name, reason: reason(e) }, `quitting: ${step.name} could not be cut short`);
      }
      resolve();
    }, ms);
    Promise.resolve()
      .then(() => step.run())
      .catch((e: unknown) => log.warn({ event: 'quit.step_failed', step: step.name, reason: reason(e) }, `quitting: ${step.name} failed`))
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

/**
 * One quit sequence for every way the app ends: the user quits (or closes the last window), the OS
 * shuts down or restarts (powerMonitor 'shutdown', which waits while we finish), or Windows ends the
 * session (the window's 'session-end'). Quitting is held until the sync worker has stopped (it may be
 * pushing or taking a backup), the database is closed and the embedded clinic server has closed
 * (PGlite, pending FHIR access-log entries, its running-info file with the admin token); each step has
 * a time limit, after which its onTimeout cuts it short and the next one runs.
 */
export function installQuitSequence(o: QuitOptions): QuitSequence {
  let running: Promise<void> | null = null;
  let finished = false;

  const run = (why: QuitReason): Promise<void> => {
    running ??= (async () => {
      const ms = why === 'session-end' ? (o.sessionEndTimeoutMs ?? 1_500) : (o.stepTimeoutMs ?? 8_000);
      o.log.info({ event: 'quit.start', why }, 'quitting: stopping sync, closing the database and the embedded server');
      for (const step of o.steps) await withTimeout(step, ms, o.log);
      finished = true;
      o.log.info({ event: 'quit.done', why }, 'quitting: done');
    })();
    return running;
  };

  o.app.on('before-quit', (event) => {
    if (finished) return;
    // Important: hold the quit until the steps are done, then quit again (this handler lets it through).
    event.preventDefault();
    void run('quit').then(() => o.app.quit());
  });
  o.powerMonitor.on('shutdown', (event) => {
    event?.preventDefault();
    void run('shutdown').then(() => o.app.quit());
  });

  return {
    run,
    watchWindow(win) {
      // Windows ends the process soon after this event whatever we do: the short limits apply.
      win.on('session-end', () => void run('session-end').then(() => o.app.exit(0)));
    },
    get finished() {
      return finished;
    },
  };
}
