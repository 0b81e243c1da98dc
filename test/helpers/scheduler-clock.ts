import type { BackupScheduler, SchedulerClock } from '../../electron/services/backup/scheduler';

/** Time that moves only when the test says; timers fire in order as it passes them. */
export class SchedulerTestClock implements SchedulerClock {
  private timers: { at: number; fn: () => void }[] = [];

  constructor(public t: number) {}

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((x) => x !== timer)) };
  }

  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing each due timer and letting the backup it starts finish. */
  async advance(ms: number, s: BackupScheduler): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > end) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = next.at;
      next.fn();
      await s.whenIdle();
    }
    this.t = end;
  }
}

/** A backup file's time stamp as the scheduler names it (20260302T090000Z). */
export const backupStamp = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
