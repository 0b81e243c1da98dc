import { describe, expect, it } from 'vitest';
import { newId } from '../../../../electron/common/ids';

describe('newId', () => {
  it('makes distinct RFC 9562 v7 ids in creation order, across many refills of its random pool', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Time-ordered: each id sorts after the one made before it, within a millisecond too.
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `${ids[i]} after ${ids[i - 1]}`).toBe(true);
    // The leading 48 bits are the time of creation.
    const ms = parseInt(ids.at(-1)!.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });

  it('draws fresh random bits for every id: no two ids share their last 64 bits, across milliseconds too', () => {
    const tails = new Set(Array.from({ length: 5_000 }, () => newId().slice(19)));
    expect(tails.size).toBe(5_000);
  });
});
