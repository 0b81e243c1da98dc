import { DAYS_PER_MONTH, WHO_TO_CDC_DAYS, type GrowthMeasure, type GrowthSex, type GrowthTables, type LmsRow, type ReferenceTable } from './types';

// Parsers for the reference files in resources/growth (see its README for each file's source).
// Pure: the caller reads the file and passes its text. A bad row is an Error naming the file and line,
// because a chart drawn from a damaged table would be wrong without looking wrong.

export const WHO_CITATION = 'WHO Child Growth Standards, 2006 (WHO Multicentre Growth Reference Study Group), https://www.who.int/tools/child-growth-standards';
export const CDC_CITATION = 'CDC 2000 growth charts (Kuczmarski RJ et al., Vital Health Stat 11(246), 2002), https://www.cdc.gov/growthcharts/';

const SEX_WORD: Record<GrowthSex, string> = { male: 'boys', female: 'girls' };

const WHO_MEASURES: Partial<Record<GrowthMeasure, { code: string; label: string }>> = {
  weightForAge: { code: 'wfa', label: 'weight-for-age' },
  lengthForAge: { code: 'lhfa', label: 'length-for-age' },
  headForAge: { code: 'hcfa', label: 'head circumference-for-age' },
};

interface CdcMeta {
  measure: GrowthMeasure;
  label: string;
  xUnit: 'days' | 'cm';
  /** The range used, in days or cm; null = the file's own first or last row. */
  xMin: number | null;
  xMax: number | null;
  range: string;
}

const TWO_TO_TWENTY = { xUnit: 'days', xMin: WHO_TO_CDC_DAYS, xMax: 240 * DAYS_PER_MONTH, range: '2–20 years' } as const;
const INFANT = { xUnit: 'days', xMin: 0, xMax: 36 * DAYS_PER_MONTH, range: '0–36 months' } as const;

/** CDC 2000 data files by name (cdc2000-<name>.csv), the measure each gives and the range it is used for. */
const CDC_FILES: Record<string, CdcMeta> = {
  wtage: { measure: 'weightForAge', label: 'weight-for-age', ...TWO_TO_TWENTY },
  statage: { measure: 'lengthForAge', label: 'stature-for-age', ...TWO_TO_TWENTY },
  bmiagerev: { measure: 'bmiForAge', label: 'BMI-for-age', ...TWO_TO_TWENTY },
  // Used only after WHO's 24 months, to CDC's 36.
  hcageinf: { measure: 'headForAge', label: 'head circumference-for-age', ...INFANT, xMin: WHO_TO_CDC_DAYS, range: '24–36 months' },
  wtageinf: { measure: 'weightForAge', label: 'weight-for-age', ...INFANT },
  lenageinf: { measure: 'lengthForAge', label: 'length-for-age', ...INFANT },
  wtleninf: { measure: 'weightForLength', label: 'weight-for-length', xUnit: 'cm', xMin: null, xMax: null, range: '45–103.5 cm' },
  wtstat: { measure: 'weightForLength', label: 'weight-for-stature', xUnit: 'cm', xMin: null, xMax: null, range: '77–121.5 cm' },
};

/** Which resources/growth file feeds which measure (WHO files are one sex each; CDC files hold both). */
export const GROWTH_FILES: readonly { file: string; kind: 'who' | 'cdc'; measure: GrowthMeasure; sex?: GrowthSex }[] = [
  { file: 'who2006-wfa-boys.csv', kind: 'who', measure: 'weightForAge', sex: 'male' },
  { file: 'who2006-wfa-girls.csv', kind: 'who', measure: 'weightForAge', sex: 'female' },
  { file: 'who2006-lhfa-boys.csv', kind: 'who', measure: 'lengthForAge', sex: 'male' },
  { file: 'who2006-lhfa-girls.csv', kind: 'who', measure: 'lengthForAge', sex: 'female' },
  { file: 'who2006-hcfa-boys.csv', kind: 'who', measure: 'headForAge', sex: 'male' },
  { file: 'who2006-hcfa-girls.csv', kind: 'who', measure: 'headForAge', sex: 'female' },
  { file: 'cdc2000-wtage.csv', kind: 'cdc', measure: 'weightForAge' },
  { file: 'cdc2000-statage.csv', kind: 'cdc', measure: 'lengthForAge' },
  { file: 'cdc2000-bmiagerev.csv', kind: 'cdc', measure: 'bmiForAge' },
  { file: 'cdc2000-hcageinf.csv', kind: 'cdc', measure: 'headForAge' },
  { file: 'cdc2000-wtleninf.csv', kind: 'cdc', measure: 'weightForLength' },
  { file: 'cdc2000-wtstat.csv', kind: 'cdc', measure: 'weightForLength' },
];

/** The cells of each non-blank line, with its 1-based line number. */
function csvLines(text: string): { line: number; cells: string[]; raw: string }[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, raw: raw.trim(), cells: raw.trim().split(',') }))
    .filter((l) => l.raw !== '');
}

/** A finite number from a cell, or an Error naming file, line and column. */
function num(cell: string | undefined, file: string, line: number, column: string): number {
  const v = cell === undefined || cell.trim() === '' ? Number.NaN : Number(cell);
  if (!Number.isFinite(v)) throw new Error(`${file} line ${line}: ${column} is ${cell === undefined || cell === '' ? 'missing' : `'${cell}', not a number`}`);
  return v;
}

/** L, M and S from the three columns at `at`, checked: M and S must be positive. */
function lmsRow(x: number, cells: string[], at: number, file: string, line: number): LmsRow {
  const L = num(cells[at], file, line, 'L');
  const M = num(cells[at + 1], file, line, 'M');
  const S = num(cells[at + 2], file, line, 'S');
  if (!(M > 0) || !(S > 0)) throw new Error(`${file} line ${line}: M and S must be positive (M ${M}, S ${S})`);
  return { x, L, M, S };
}

function checkHeader(cells: string[] | undefined, expected: readonly (readonly string[])[], file: string): void {
  const ok = cells !== undefined && expected.every((names, i) => names.includes(cells[i] ?? ''));
  if (!ok) {
    const want = expected.map((n) => n.join('|')).join(',');
    throw new Error(`${file} line 1: header must begin ${want}, found '${(cells ?? []).slice(0, expected.length).join(',')}'`);
  }
}

function checkIncreasing(prev: LmsRow | undefined, row: LmsRow, file: string, line: number): void {
  if (prev && !(row.x > prev.x)) throw new Error(`${file} line ${line}: ${row.x} does not follow ${prev.x} (rows must be in increasing order)`);
}

/** The rows needed to interpolate anywhere in [xMin, xMax]: those inside plus the nearest one beyond each end. */
function rowsFor(rows: LmsRow[], xMin: number, xMax: number): LmsRow[] {
  let from = 0;
  while (from + 1 < rows.length && rows[from + 1]!.x <= xMin) from++;
  const after = rows.findIndex((r) => r.x >= xMax);
  return rows.slice(from, after === -1 ? rows.length : after + 1);
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
}

/**
 * One WHO 2006 expanded table (columns age_days, L, M, S, then percentiles as published). Used from
 * birth to 730 days (24 months) although the file runs to 1856 days: CDC 2000 takes over at 2 years.
 */
export function parseWhoTable(text: string, file: string, measure: GrowthMeasure, sex: GrowthSex): ReferenceTable {
  const meta = WHO_MEASURES[measure];
  if (!meta) throw new Error(`${file}: the WHO 2006 ${measure} table is not one the product uses (weight, length/height and head circumference for age)`);
  const lines = csvLines(text);
  checkHeader(lines[0]?.cells, [['age_days'], ['L'], ['M'], ['S']], file);
  const rows: LmsRow[] = [];
  for (const { line, cells } of lines.slice(1)) {
    const row = lmsRow(num(cells[0], file, line, 'age_days'), cells, 1, file, line);
    checkIncreasing(rows[rows.length - 1], row, file, line);
    rows.push(row);
  }
  if (rows.length < 2) throw new Error(`${file}: fewer than two rows`);
  const xMin = 0;
  const xMax = WHO_TO_CDC_DAYS;
  if (rows[0]!.x > xMin || rows[rows.length - 1]!.x < xMax) throw new Error(`${file}: the table does not cover 0–${xMax} days`);
  return {
    id: `who2006-${meta.code}-${sex}`,
    source: 'WHO 2006',
    measure,
    sex,
    name: `WHO 2006 ${meta.label} (${SEX_WORD[sex]}, 0–24 months)`,
    citation: WHO_CITATION,
    xUnit: 'days',
    xMin,
    xMax,
    rows: rowsFor(rows, xMin, xMax),
  };
}

/**
 * One CDC 2000 data file (columns Sex 1 = male 2 = female, Agemos or Length/Height, L, M, S, percentiles),
 * both sexes. Ages are months at the half month (0.5 = birth to 1 month) and become days at 30.4375 days a
 * month; lengths stay in cm. A repeat of the header line is skipped (CDC's bmiagerev.csv has one between the sexes).
 */
export function parseCdcTable(text: string, file: string, measure: GrowthMeasure): ReferenceTable[] {
  const stem = baseName(file).replace(/^cdc2000-/, '');
  const meta = CDC_FILES[stem];
  if (!meta) throw new Error(`${file}: not a CDC 2000 file this product knows (${Object.keys(CDC_FILES).join(', ')})`);
  if (meta.measure !== measure) throw new Error(`${file}: this file is ${meta.measure}, not ${measure}`);
  const lines = csvLines(text);
  const header = lines[0];
  checkHeader(header?.cells, [['Sex'], meta.xUnit === 'days' ? ['Agemos'] : ['Length', 'Height'], ['L'], ['M'], ['S']], file);
  const bySex: Record<GrowthSex, LmsRow[]> = { male: [], female: [] };
  for (const { line, cells, raw } of lines.slice(1)) {
    if (raw === header?.raw) continue;
    const code = cells[0];
    if (code !== '1' && code !== '2') throw new Error(`${file} line ${line}: Sex is '${code ?? ''}', not 1 (male) or 2 (female)`);
    const sexRows = bySex[code === '1' ? 'male' : 'female'];
    const x = num(cells[1], file, line, header?.cells[1] ?? 'x');
    const row = lmsRow(meta.xUnit === 'days' ? x * DAYS_PER_MONTH : x, cells, 2, file, line);
    checkIncreasing(sexRows[sexRows.length - 1], row, file, line);
    sexRows.push(row);
  }
  return (['male', 'female'] as const).map((sex) => {
    const rows = bySex[sex];
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last || rows.length < 2) throw new Error(`${file}: fewer than two rows for ${SEX_WORD[sex]}`);
    const xMin = meta.xMin ?? first.x;
    const xMax = meta.xMax ?? last.x;
    // Important: CDC's 2–20-year files begin at 24.0 months = 730.5 days; the half day from 730 uses that first row.
    if (first.x > xMin + DAYS_PER_MONTH / 2 || last.x < xMax) throw new Error(`${file}: the ${SEX_WORD[sex]}' rows do not cover ${meta.range}`);
    return {
      id: `cdc2000-${stem}-${sex}`,
      source: 'CDC 2000',
      measure,
      sex,
      name: `CDC 2000 ${meta.label} (${SEX_WORD[sex]}, ${meta.range})`,
      citation: CDC_CITATION,
      xUnit: meta.xUnit,
      xMin,
      xMax,
      rows: rowsFor(rows, xMin, xMax),
    };
  });
}

/** Every table in GROWTH_FILES, read through `read(file)` (a file name in resources/growth). */
export function buildGrowthTables(read: (file: string) => string): GrowthTables {
  const tables: ReferenceTable[] = [];
  for (const f of GROWTH_FILES) {
    const text = read(f.file);
    if (f.kind === 'who') {
      if (!f.sex) throw new Error(`${f.file}: a WHO file needs its sex in GROWTH_FILES`);
      tables.push(parseWhoTable(text, f.file, f.measure, f.sex));
    } else tables.push(...parseCdcTable(text, f.file, f.measure));
  }
  return { tables };
}
