import { describe, expect, it } from 'vitest';
import { SyncKeyHolder } from '../../../electron/shell/sync-gate';

describe('the key held for the sync worker', () => {
  it('gives copies in their own memory, zeroes the key it replaces, and wipes to zero', () => {
    const holder = new SyncKeyHolder();
    expect(holder.copy()).toBeNull();
    const first = Buffer.from('a'.repeat(64), 'hex');
    holder.hold(first);
    const copy = holder.copy()!;
    expect(copy.equals(first)).toBe(true);
    // Not a slice of the shared pool: a worker thread gets exactly these 32 bytes.
    expect(copy.buffer.byteLength).toBe(32);
    copy.fill(0);
    expect(first.every((b) => b === 0xaa)).toBe(true);
    const second = Buffer.from('b'.repeat(64), 'hex');
    holder.hold(second);
    expect(first.every((b) => b === 0)).toBe(true);
    holder.wipe();
    expect(second.every((b) => b === 0)).toBe(true);
    expect(holder.held).toBe(false);
    expect(holder.copy()).toBeNull();
  });
});
