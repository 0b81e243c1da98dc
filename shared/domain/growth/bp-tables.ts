import type { GrowthSex } from './types';

// The AAP 2017 pediatric blood-pressure tables (Flynn JT et al., Pediatrics 2017;140(3):e20171904,
// tables 4 (boys) and 5 (girls)): systolic then diastolic mm Hg at the 50th, 90th and 95th BP
// percentile, for each age 1–17 years and height percentile 5, 10, 25, 50, 75, 90, 95.

export const AAP_2017_CITATION =
  'Flynn JT et al. Clinical Practice Guideline for Screening and Management of High Blood Pressure in Children and Adolescents. Pediatrics 2017;140(3):e20171904, https://doi.org/10.1542/peds.2017-1904';

/** The height-percentile columns of the tables, in order. */
export const HEIGHT_PERCENTILES = [5, 10, 25, 50, 75, 90, 95] as const;

/** One table row: the BP at one BP percentile for one age, by height percentile column (7 values each). */
export interface FlynnRow {
  age: number;
  bpPercentile: 50 | 90 | 95;
  systolic: number[];
  diastolic: number[];
}

export interface FlynnTables {
  male: FlynnRow[];
  female: FlynnRow[];
}

/** The resources/growth files holding tables 4 and 5. */
export const FLYNN_FILES: Readonly<Record<GrowthSex, string>> = { male: 'flynn2017-bp-boys.tsv', female: 'flynn2017-bp-girls.tsv' };

const BP_PERCENTILES = [50, 90, 95] as const;
const HEADER = ['age', 'bp_%', ...HEIGHT_PERCENTILES.map(String), ...HEIGHT_PERCENTILES.map(String)].join(' ');

/** A positive whole number of mm Hg or years, or an Error naming file and line. */
function whole(cell: string | undefined, file: string, line: number, what: string): number {
  const v = cell !== undefined && /^\d+$/.test(cell) ? Number(cell) : Number.NaN;
  if (!(v > 0)) throw new Error(`${file} line ${line}: ${what} is ${cell === undefined ? 'missing' : `'${cell}', not a positive whole number`}`);
  return v;
}

/**
 * Table 4 or 5 as whitespace-separated text: a header `age bp_% 5 10 25 50 75 90 95 5 10 25 50 75 90 95`,
 * then per row the age, the BP percentile, 7 systolic and 7 diastolic values. Every age 1–17 must have
 * its 50th, 90th and 95th rows exactly once. A bad row is an Error naming the file and line.
 */
export function parseFlynnTable(text: string, file: string): FlynnRow[] {
  const lines = text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, cells: raw.trim().split(/\s+/) }))
    .filter((l) => l.cells.join('') !== '');
  const header = lines[0]?.cells.join(' ');
  if (header !== HEADER) throw new Error(`${file} line 1: header must be '${HEADER}', found '${header ?? ''}'`);
  const rows: FlynnRow[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of lines.slice(1)) {
    if (cells.length !== 16) throw new Error(`${file} line ${line}: ${cells.length} columns, expected 16 (age, BP percentile, 7 systolic, 7 diastolic)`);
    const age = whole(cells[0], file, line, 'age');
    if (age > 17) throw new Error(`${file} line ${line}: age ${age} is outside the tables' 1–17 years`);
    const bp = whole(cells[1], file, line, 'BP percentile');
    const bpPercentile = BP_PERCENTILES.find((p) => p === bp);
    if (!bpPercentile) throw new Error(`${file} line ${line}: BP percentile ${bp} is not 50, 90 or 95`);
    const key = `${age}/${bp}`;
    if (seen.has(key)) throw new Error(`${file} line ${line}: a second row for age ${age}, ${bp}th percentile`);
    seen.add(key);
    const values = cells
      .slice(2)
      .map((c, i) => whole(c, file, line, `${i < 7 ? 'systolic' : 'diastolic'} at the ${HEIGHT_PERCENTILES[i % 7]}th height percentile`));
    rows.push({ age, bpPercentile, systolic: values.slice(0, 7), diastolic: values.slice(7) });
  }
  for (let age = 1; age <= 17; age++) {
    for (const p of BP_PERCENTILES) if (!seen.has(`${age}/${p}`)) throw new Error(`${file}: no row for age ${age}, ${p}th BP percentile`);
  }
  return rows;
}

/** Both tables, read through `read(file)` (a file name in resources/growth). */
export function buildFlynnTables(read: (file: string) => string): FlynnTables {
  return { male: parseFlynnTable(read(FLYNN_FILES.male), FLYNN_FILES.male), female: parseFlynnTable(read(FLYNN_FILES.female), FLYNN_FILES.female) };
}
