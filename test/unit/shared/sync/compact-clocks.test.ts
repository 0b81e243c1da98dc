import { describe, expect, it } from 'vitest';
import { clockOf, compactClocks, decodeStoredClocks, encodeStoredClocks, everyClock, expandClocks } from '../../../../shared/sync/compact-clocks';
import { encodeHlc } from '../../../../shared/sync/hlc';

const h = (wall: number, node = 'a'): string => encodeHlc({ wall, counter: 0, node });

describe('compact clock storage on the clinic server', () => {
  it('a new record (one clock on every column) is stored as that one clock', () => {
    const fields = { id: 'p1', given_name: 'Ana', phone: null };
    const clocks = { id: h(1), given_name: h(1), phone: h(1) };
    const c = compactClocks(clocks);
    expect(c).toEqual({ hlc: h(1), rest: {} });
    expect(expandClocks(fields, c.hlc, c.rest)).toEqual(clocks);
  });

  it('keeps the most common clock as the default and the others per column, and expands back exactly', () => {
    const fields = { id: 'p1', given_name: 'Ana', phone: '555', email: 'a@example.org' };
    const clocks = { id: h(1), given_name: h(1), phone: h(5, 'b'), email: h(1) };
    const c = compactClocks(clocks);
    expect(c).toEqual({ hlc: h(1), rest: { phone: h(5, 'b') } });
    expect(expandClocks(fields, c.hlc, c.rest)).toEqual(clocks);
  });

  it('no columns: no default clock; rows stored before compaction (hlc null) hold every clock', () => {
    expect(compactClocks({})).toEqual({ hlc: null, rest: {} });
    const full = { id: h(1), phone: h(2) };
    expect(expandClocks({ id: 'p1', phone: '1' }, null, full)).toBe(full);
  });
});

describe("a device's stored clocks (sync_state.clocks)", () => {
  it('stores one shared clock for a row written at once and reads every column back', () => {
    const data = { id: 'p1', given_name: 'Ana', phone: null };
    const clocks = { id: h(1), given_name: h(1), phone: h(3, 'b') };
    const json = encodeStoredClocks(clocks, data);
    expect(JSON.parse(json)).toEqual({ '*': h(1), phone: h(3, 'b') });
    expect(decodeStoredClocks(json, data)).toEqual(clocks);
  });

  it('reads clocks stored one per column (before compaction) as they are', () => {
    const clocks = { id: h(1), phone: h(2) };
    expect(decodeStoredClocks(JSON.stringify(clocks), { id: 'p1', phone: '1' })).toEqual(clocks);
  });

  it('keeps clocks that do not name exactly the row’s columns one per column, so nothing is lost or invented', () => {
    const data = { id: 'p1', phone: '1' };
    const fewer = { id: h(1) };
    expect(decodeStoredClocks(encodeStoredClocks(fewer, data), data)).toEqual(fewer);
    const other = { id: h(1), email: h(1) };
    expect(decodeStoredClocks(encodeStoredClocks(other, data), data)).toEqual(other);
  });
});

describe('a pulled change, with every clock or compact (clocks=compact)', () => {
  const all = (c: Parameters<typeof everyClock>[0]): string[] => {
    const out: string[] = [];
    everyClock(c, (x) => (out.push(x), true));
    return out;
  };

  it('reads each column’s clock and every clock the same way from both forms', () => {
    const fields = { id: 'p1', given_name: 'Ana', phone: '555', email: null };
    const clocks = { id: h(1), given_name: h(1), phone: h(5, 'b'), email: h(1) };
    const { hlc, rest } = compactClocks(clocks);
    const full = { fields, clocks };
    const compact = { fields, clocks: rest, hlc };
    for (const k of Object.keys(fields)) expect(clockOf(compact, k)).toBe(clockOf(full, k));
    expect(all(compact)).toEqual(all(full));
    expect(all(compact)).toEqual(Object.values(expandClocks(fields, hlc, rest)));
  });

  it('a compact change without a shared clock holds every clock itself; a column without one has none', () => {
    const c = { fields: { id: 'p1', phone: '1' }, clocks: { id: h(1), phone: h(2) }, hlc: null };
    expect(all(c)).toEqual([h(1), h(2)]);
    expect(clockOf({ fields: { id: 'p1' }, clocks: {} }, 'id')).toBeUndefined();
  });

  it('stops at the first clock the check refuses (an echo of this device’s own write is every clock being its own)', () => {
    const c = { fields: { id: 'p1', given_name: 'Ana', phone: '555' }, clocks: { phone: h(5, 'b') }, hlc: h(1) };
    const seen: string[] = [];
    expect(everyClock(c, (x) => (seen.push(x), x === h(1)))).toBe(false);
    expect(seen).toEqual([h(1), h(1), h(5, 'b')]);
    expect(everyClock({ ...c, clocks: {} }, (x) => x === h(1))).toBe(true);
  });
});
