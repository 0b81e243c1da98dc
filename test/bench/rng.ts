// The benchmark's seeded randomness, and picking from lists ordered by how common each entry is.

/** A small seeded PRNG (mulberry32): fast, 2^32 period, plenty for 10^5 records; not for crypto. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (list) => at(list, Math.floor(next() * list.length)),
  };
}

export function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`index ${i} outside a list of ${list.length}`);
  return v;
}

/**
 * Picks from a list ordered by how common each name is, with weight 1/(rank + flatten). The name
 * frequency model decides how many charts a 3-letter prefix matches, which is what name-search
 * latency depends on, so it is tuned to real US figures: the most common surname about 1 % of
 * people (Smith is 0.8 %), the most common given name about 3 %.
 */
export function weightedPicker<T>(list: readonly T[], flatten: number): (rng: Rng) => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 0; k < list.length; k++) cumulative.push((sum += 1 / (k + flatten)));
  return (rng) => {
    const x = rng.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return at(list, lo);
  };
}
