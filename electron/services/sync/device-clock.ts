import type Database from 'better-sqlite3';
import { decodeHlc, encodeHlc, receive, tick, type Hlc } from '../../../shared/sync/hlc';

const KEY = 'sync.hlc';

/**
 * The device's hybrid logical clock, persisted in `meta` and read inside each transaction, so the
 * UI connection and the sync worker's connection share one clock that never goes backwards.
 */
export class DeviceClock {
  private readonly get: Database.Statement<[string], { value: string }>;
  private readonly put: Database.Statement<[string, string]>;

  constructor(
    sqlite: Database.Database,
    private readonly deviceId: string,
    readonly wallClock: () => number = Date.now,
  ) {
    this.get = sqlite.prepare('SELECT value FROM meta WHERE key = ?');
    this.put = sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  private last(): Hlc {
    const v = this.get.get(KEY)?.value;
    return v ? decodeHlc(v) : { wall: 0, counter: 0, node: this.deviceId };
  }

  /** The clock for a new local change. Call inside the write's transaction. */
  tick(): string {
    return this.ticks(1)[0]!;
  }

  /**
   * Clocks for `n` new local changes, in order, with one read and one write of `meta` (a lab message
   * records ten results: a read and an upsert per result were a tenth of what storing it cost).
   * Call inside the write's transaction: the last clock is stored before the transaction ends, so
   * the other connection's next tick reads it and never goes backwards. Nothing is kept in memory
   * between calls, so a rolled-back write or the other connection's write can never be missed.
   */
  ticks(n: number): string[] {
    let h = this.last();
    const now = this.wallClock();
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(encodeHlc((h = tick(h, now))));
    if (n > 0) this.put.run(KEY, out[n - 1]!);
    return out;
  }

  /** Advances past a clock seen from elsewhere. Call inside the transaction that applies it. */
  receive(remote: string): void {
    this.put.run(KEY, encodeHlc(receive(this.last(), decodeHlc(remote), this.wallClock())));
  }

  /**
   * Important: the one deliberate exception to "never backwards". After the clinic server refused
   * clocks from a device whose clock ran ahead, and the clock has since been corrected, pending
   * changes are restamped from the corrected time so the device is not wedged forever.
   */
  reset(wall: number): void {
    this.put.run(KEY, encodeHlc({ wall, counter: 0, node: this.deviceId }));
  }

  current(): string {
    return encodeHlc(this.last());
  }
}
