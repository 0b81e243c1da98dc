import { describe, expect, it } from 'vitest';
import { decodeHlc, encodeHlc, hlcWall, isHlc, receive, tick } from '../../../../shared/sync/hlc';

describe('hybrid logical clock', () => {
  const a = { wall: 1_000, counter: 0, node: 'device-a' };

  it('encodes so that string order is clock order, and round-trips', () => {
    const xs = [
      { wall: 999, counter: 35, node: 'z' },
      { wall: 1_000, counter: 0, node: 'a' },
      { wall: 1_000, counter: 0, node: 'b' },
      { wall: 1_000, counter: 1, node: 'a' },
      { wall: 1_764_000_000_000, counter: 0, node: 'a' },
    ];
    const encoded = xs.map(encodeHlc);
    expect([...encoded].sort()).toEqual(encoded);
    for (const x of xs) expect(decodeHlc(encodeHlc(x))).toEqual(x);
    expect(isHlc(encoded[0]!)).toBe(true);
    expect(hlcWall(encoded[4]!)).toBe(1_764_000_000_000);
  });

  it('refuses anything that is not a clock with a readable message', () => {
    expect(isHlc('2026-11-25T10:00:00Z')).toBe(false);
    expect(() => decodeHlc('nonsense')).toThrow(/not a hybrid logical clock value: "nonsense"/);
  });

  it('ticks forward with the wall clock, and by counter when the wall clock stalls or goes back', () => {
    expect(tick(a, 2_000)).toEqual({ wall: 2_000, counter: 0, node: 'device-a' });
    expect(tick(a, 1_000)).toEqual({ wall: 1_000, counter: 1, node: 'device-a' });
    // The computer's clock jumped back: the clock does not.
    expect(tick(a, 500)).toEqual({ wall: 1_000, counter: 1, node: 'device-a' });
  });

  it('moves past a remote clock it receives, keeping its own node', () => {
    const remote = { wall: 5_000, counter: 7, node: 'device-b' };
    expect(receive(a, remote, 1_200)).toEqual({ wall: 5_000, counter: 8, node: 'device-a' });
    expect(receive(a, remote, 9_000)).toEqual({ wall: 9_000, counter: 0, node: 'device-a' });
    expect(receive({ wall: 5_000, counter: 9, node: 'device-a' }, remote, 10)).toEqual({ wall: 5_000, counter: 10, node: 'device-a' });
    // Every event after receiving is later than what was received.
    expect(encodeHlc(tick(receive(a, remote, 0), 0)) > encodeHlc(remote)).toBe(true);
  });
});
