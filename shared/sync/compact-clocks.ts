import type { Clocks, Fields } from './entities';

/**
 * How the clinic server stores column clocks: the clock most columns share (`hlc`) and only the
 * columns whose clock differs (`rest`). A new record's columns all carry the clock of the change
 * that created it, so it is stored as one clock instead of one ~60-byte clock per column, which was
 * more than half of what a push wrote. A pull page asked for with `clocks=compact` carries them the
 * same way (read them with clockOf); without it, every column's clock.
 */
export interface CompactClocks {
  hlc: string | null;
  rest: Clocks;
}

/** The most common clock becomes `hlc`; the others stay per column. No columns: `hlc` null. */
export function compactClocks(clocks: Clocks): CompactClocks {
  let first: string | null = null;
  let uniform = true;
  for (const k in clocks) {
    if (first === null) first = clocks[k]!;
    else if (clocks[k] !== first) {
      uniform = false;
      break;
    }
  }
  if (first === null) return { hlc: null, rest: {} };
  if (uniform) return { hlc: first, rest: {} };
  const counts = new Map<string, number>();
  for (const k in clocks) counts.set(clocks[k]!, (counts.get(clocks[k]!) ?? 0) + 1);
  let hlc = first;
  for (const [c, n] of counts) if (n > counts.get(hlc)!) hlc = c;
  const rest: Clocks = {};
  for (const k in clocks) if (clocks[k] !== hlc) rest[k] = clocks[k]!;
  return { hlc, rest };
}

/** Every column's clock again: `rest` where given, else `hlc` (stored rows with `hlc` null hold them all). */
export function expandClocks(fields: Fields, hlc: string | null, rest: Clocks): Clocks {
  if (hlc === null) return rest;
  const out: Clocks = {};
  for (const k in fields) out[k] = rest[k] ?? hlc;
  return out;
}

/** The key of the shared clock in a device's stored clocks (no column is named "*"). */
const SHARED = '*';

/**
 * A device's stored clocks (sync_state.clocks) as JSON, compact the same way: `{"*": shared clock,
 * column: its own clock…}`. Every column of a registration made on the device carries one clock,
 * and the ~60 bytes a column cost were a third of what a new chart wrote.
 */
export function encodeStoredClocks(clocks: Clocks, data: Fields): string {
  // Compact only when the clocks name exactly the row's columns: expanding goes by the row's columns.
  let n = 0;
  for (const k in clocks) {
    if (!(k in data)) return JSON.stringify(clocks);
    n++;
  }
  if (n !== Object.keys(data).length) return JSON.stringify(clocks);
  const { hlc, rest } = compactClocks(clocks);
  return JSON.stringify(hlc === null ? rest : { [SHARED]: hlc, ...rest });
}

/** Every column's clock from stored JSON: compact (with "*") or, as stored before, one per column. */
export function decodeStoredClocks(json: string, data: Fields): Clocks {
  const stored = JSON.parse(json) as Clocks;
  const shared = stored[SHARED];
  if (shared === undefined) return stored;
  delete stored[SHARED];
  return expandClocks(data, shared, stored);
}

/** A pulled change's clocks: every column's (`hlc` absent), or compact (`hlc` present, see PULL_COMPACT_CLOCKS). */
export interface ChangeClocks {
  fields: Fields;
  clocks: Clocks;
  hlc?: string | null | undefined;
}

/** The clock of column `k` of a pulled change, whichever way its page carries them. */
export function clockOf(c: ChangeClocks, k: string): string | undefined {
  return c.clocks[k] ?? c.hlc ?? undefined;
}

/**
 * Calls `each` with every clock of a pulled change, one per column, exactly as expandClocks gives
 * them: on a compact change with a shared clock, each column's (the shared one where `clocks` has
 * none); else every clock in `clocks`. Stops early, returning false, when `each` does.
 */
export function everyClock(c: ChangeClocks, each: (clock: string) => boolean): boolean {
  const shared = c.hlc;
  if (shared === undefined || shared === null) {
    for (const k in c.clocks) if (!each(c.clocks[k]!)) return false;
    return true;
  }
  for (const k in c.fields) if (!each(c.clocks[k] ?? shared)) return false;
  return true;
}
