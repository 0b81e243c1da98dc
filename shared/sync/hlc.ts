/**
 * A hybrid logical clock (Kulkarni et al.): wall-clock milliseconds, a counter for events in the
 * same millisecond, and the node (device) id as the final tie-break. Encoded as a fixed-width
 * string so that string order is clock order, on the device, on the server and in SQL.
 */
export interface Hlc {
  wall: number;
  counter: number;
  node: string;
}

const WALL_WIDTH = 15;
const COUNTER_WIDTH = 5;
const MAX_COUNTER = 36 ** COUNTER_WIDTH - 1;

/** "000001764000000000.0000a.<node>": sorts as the clock does. */
export function encodeHlc(h: Hlc): string {
  return `${h.wall.toString().padStart(WALL_WIDTH, '0')}.${h.counter.toString(36).padStart(COUNTER_WIDTH, '0')}.${h.node}`;
}

const PATTERN = /^(\d{15})\.([0-9a-z]{5})\.(.+)$/;

/** Parses an encoded clock; throws a readable error on anything else. */
export function decodeHlc(s: string): Hlc {
  const m = PATTERN.exec(s);
  if (!m) throw new Error(`not a hybrid logical clock value: "${s.slice(0, 60)}"`);
  return { wall: Number(m[1]), counter: parseInt(m[2]!, 36), node: m[3]! };
}

/** True when `s` is a well-formed encoded clock. */
export function isHlc(s: string): boolean {
  return PATTERN.test(s);
}

/** The wall-clock part of an encoded clock, in epoch ms. */
export function hlcWall(s: string): number {
  return decodeHlc(s).wall;
}

/** The next clock for a local event at wall time `now`. */
export function tick(last: Hlc, now: number): Hlc {
  if (now > last.wall) return { wall: now, counter: 0, node: last.node };
  if (last.counter >= MAX_COUNTER) return { wall: last.wall + 1, counter: 0, node: last.node };
  return { wall: last.wall, counter: last.counter + 1, node: last.node };
}

/** The clock after seeing a remote clock at wall time `now` (never goes backwards). */
export function receive(last: Hlc, remote: Hlc, now: number): Hlc {
  const wall = Math.max(last.wall, remote.wall, now);
  let counter: number;
  if (wall === last.wall && wall === remote.wall) counter = Math.max(last.counter, remote.counter) + 1;
  else if (wall === last.wall) counter = last.counter + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  else counter = 0;
  if (counter > MAX_COUNTER) return { wall: wall + 1, counter: 0, node: last.node };
  return { wall, counter, node: last.node };
}

/** How far ahead of the server a device's clock may run before the server refuses its changes. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000;
