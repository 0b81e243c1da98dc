/**
 * Billing reference data (resources/billing/): adjustment reason codes, place of service, claim filing
 * indicators, modifiers, and the procedure-code and fee-schedule CSV files. Pure: the caller reads the
 * file and passes it in.
 *
 * @example
 *   // JSON files, through electron/services/resources (a broken file is named with each issue's JSON path):
 *   const pos = resources.json('billing/place-of-service.json', placeOfServiceFile);
 *   // CSV files: errors are values naming the file and line.
 *   const fees = parseFeeScheduleCsv(resources.text('billing/fee-schedule-sample.csv'), 'billing/fee-schedule-sample.csv');
 *   if (!fees.ok) console.log(fees.error.message); // "billing/fee-schedule-sample.csv line 4: price …"
 */
import { z } from 'zod';
import { parseDollars } from '../money';

/** A short explanation for a biller: one line on a worklist. */
const shortText = z.string().trim().min(1).max(80, 'keep it to 80 characters: one line on a worklist');
/** CPT (5 digits, or 4 digits and F/T/U for category II/III and PLA) or HCPCS Level II (a letter and 4 digits). */
export const procedureCode = z.string().regex(/^(\d{4}[0-9FTU]|[A-V]\d{4})$/, 'a procedure code is CPT (99213, 0001U) or HCPCS (J1885)');
export const modifierCode = z.string().regex(/^[0-9A-Z]{2}$/, 'a modifier is two letters or digits (25, GT)');

/** Reports each code used twice in `list` as an issue at its path. */
function unique<T>(list: readonly T[], key: (t: T) => string, path: (string | number)[], ctx: z.RefinementCtx, what: string): void {
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [...path, i, 'code'], message: `${what} "${k}" is listed twice` });
    seen.add(k);
  });
}

export const ADJUSTMENT_GROUPS = ['CO', 'PR', 'OA', 'PI', 'CR'] as const;

/** A CARC or RARC: the code is always shown; the description is Cairn's own words; `action` says what to do. */
const reasonCode = (pattern: RegExp, example: string) =>
  z.strictObject({ code: z.string().regex(pattern, `not a code of this list (e.g. ${example})`), description: shortText, action: shortText.optional() });
export const carcCode = reasonCode(/^([A-Z]\d{1,2}|\d{1,3})$/, '45, A1, B7');
export const rarcCode = reasonCode(/^(M|MA|N)\d{1,4}$/, 'M15, MA130, N290');
export type ReasonCode = z.infer<typeof carcCode>;

/** resources/billing/adjustment-codes.json: group codes, claim adjustment reason codes (CARC) and remark codes (RARC). */
export const adjustmentCodesFile = z
  .strictObject({
    $comment: z.string().optional(),
    groups: z.array(z.strictObject({ code: z.enum(ADJUSTMENT_GROUPS), name: shortText, description: shortText })).min(1),
    carc: z.array(carcCode).min(1),
    rarc: z.array(rarcCode).min(1),
  })
  .superRefine((f, ctx) => {
    unique(f.groups, (g) => g.code, ['groups'], ctx, 'group');
    unique(f.carc, (c) => c.code, ['carc'], ctx, 'CARC');
    unique(f.rarc, (c) => c.code, ['rarc'], ctx, 'RARC');
  });
export type AdjustmentCodesFile = z.infer<typeof adjustmentCodesFile>;

/** resources/billing/place-of-service.json: CMS place of service codes (CLM05-1, box 24B). */
export const placeOfServiceFile = z
  .strictObject({
    $comment: z.string().optional(),
    codes: z
      .array(
        z.strictObject({
          code: z.string().regex(/^\d{2}$/, 'a place of service is two digits (11)'),
          name: z.string().trim().min(1).max(100),
          telehealth: z.boolean().optional(),
        }),
      )
      .min(1),
  })
  .superRefine((f, ctx) => unique(f.codes, (c) => c.code, ['codes'], ctx, 'place of service'));
export type PlaceOfServiceFile = z.infer<typeof placeOfServiceFile>;

/** The CMS-1500 box 1 program a claim filing indicator is printed as. */
export const CMS1500_PROGRAMS = ['medicare', 'medicaid', 'tricare', 'champva', 'group', 'feca', 'other'] as const;
export type Cms1500Program = (typeof CMS1500_PROGRAMS)[number];

/** resources/billing/claim-filing.json: SBR09 claim filing indicator codes, with the box 1 program each prints as. */
export const claimFilingFile = z
  .strictObject({
    $comment: z.string().optional(),
    codes: z
      .array(
        z.strictObject({
          code: z.string().regex(/^[0-9A-Z]{2}$/, 'a filing indicator is two characters (CI, MB, 12)'),
          name: shortText,
          program: z.enum(CMS1500_PROGRAMS),
        }),
      )
      .min(1),
  })
  .superRefine((f, ctx) => unique(f.codes, (c) => c.code, ['codes'], ctx, 'filing indicator'));
export type ClaimFilingFile = z.infer<typeof claimFilingFile>;

/** resources/billing/modifiers.json: common CPT and HCPCS modifiers, described in Cairn's own words. */
export const modifiersFile = z
  .strictObject({
    $comment: z.string().optional(),
    modifiers: z.array(z.strictObject({ code: modifierCode, set: z.enum(['CPT', 'HCPCS']), description: shortText })).min(1),
  })
  .superRefine((f, ctx) => unique(f.modifiers, (m) => m.code, ['modifiers'], ctx, 'modifier'));
export type ModifiersFile = z.infer<typeof modifiersFile>;

/** One row of a procedure code list (cpt-sample.csv, or a clinic's licensed CPT file loaded by `cairn codes import cpt`). */
export const procedureCodeRow = z.strictObject({ code: procedureCode, description: z.string().trim().min(1).max(300) });
export type ProcedureCodeRow = z.infer<typeof procedureCodeRow>;

/** One row of a fee schedule: the price of a code (with a modifier, or none) in integer cents. */
const price = z.string().superRefine((s, ctx) => {
  const cents = parseDollars(s);
  if (cents === null || cents < 0) ctx.addIssue({ code: 'custom', message: `"${s}" is not a price in dollars (e.g. 125.00)` });
});
export const feeScheduleRow = z
  .strictObject({ code: procedureCode, modifier: z.union([z.literal(''), modifierCode]), price })
  // parseDollars cannot be null here: `price` refused the row first.
  .transform((r) => ({ code: r.code, modifier: r.modifier === '' ? null : r.modifier, priceCents: parseDollars(r.price)! }));
export type FeeScheduleEntry = z.output<typeof feeScheduleRow>;

export type CsvResult<T> = { ok: true; value: T[] } | { ok: false; error: { code: 'invalid_csv'; message: string } };

/** A procedure code CSV (`code,description` header; other columns ignored); every bad line is named. */
export function parseProcedureCodesCsv(text: string, file: string): CsvResult<ProcedureCodeRow> {
  return csvTable(text, file, ['code', 'description'], procedureCodeRow, (r) => r.code);
}

/** A fee schedule CSV (`code,modifier,price` header, price in dollars); a code and modifier priced twice is refused. */
export function parseFeeScheduleCsv(text: string, file: string): CsvResult<FeeScheduleEntry> {
  return csvTable(text, file, ['code', 'modifier', 'price'], feeScheduleRow, (r) => `${r.code}${r.modifier ? ` modifier ${r.modifier}` : ''}`);
}

const MAX_REPORTED = 10;

function csvTable<S extends z.ZodType>(text: string, file: string, columns: string[], row: S, key: (r: z.output<S>) => string): CsvResult<z.output<S>> {
  const lines = csvLines(text);
  if ('error' in lines) return fail(`${file} line ${lines.line}: ${lines.error}`);
  const [header, ...body] = lines;
  const names = header?.cells.map((c) => c.trim().toLowerCase()) ?? [];
  const missing = columns.filter((c) => !names.includes(c));
  if (!header || missing.length > 0) return fail(`${file}: the first line must name the columns ${columns.join(',')} (missing ${missing.join(', ')})`);
  const problems: string[] = [];
  const out: z.output<S>[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of body) {
    const parsed = row.safeParse(Object.fromEntries(columns.map((c) => [c, (cells[names.indexOf(c)] ?? '').trim()])));
    if (!parsed.success) {
      problems.push(`${file} line ${line}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ')}`);
      continue;
    }
    const k = key(parsed.data);
    if (seen.has(k)) problems.push(`${file} line ${line}: ${k} is already on line ${seen.get(k)}`);
    else seen.set(k, line);
    out.push(parsed.data);
  }
  if (problems.length > 0) {
    const more = problems.length > MAX_REPORTED ? `; and ${problems.length - MAX_REPORTED} more` : '';
    return fail(problems.slice(0, MAX_REPORTED).join('; ') + more);
  }
  return { ok: true, value: out };
}

const fail = (message: string): { ok: false; error: { code: 'invalid_csv'; message: string } } => ({ ok: false, error: { code: 'invalid_csv', message } });

/**
 * The non-blank lines of a CSV file (RFC 4180: a field in double quotes may hold commas and doubled quotes),
 * each with its 1-based line number. A line starting with # is a comment. Quoted fields may not span lines.
 */
function csvLines(text: string): { line: number; cells: string[] }[] | { line: number; error: string } {
  const out: { line: number; cells: string[] }[] = [];
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i]!;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const cells = csvCells(raw);
    if (cells === null) return { line: i + 1, error: 'a quoted field is not closed' };
    out.push({ line: i + 1, cells });
  }
  return out;
}

function csvCells(raw: string): string[] | null {
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    if (raw[at] === '"') {
      let value = '';
      let j = at + 1;
      for (;;) {
        const q = raw.indexOf('"', j);
        if (q < 0) return null;
        value += raw.slice(j, q);
        if (raw[q + 1] === '"') {
          value += '"';
          j = q + 2;
        } else {
          at = q + 1;
          break;
        }
      }
      const comma = raw.indexOf(',', at);
      cells.push(value + raw.slice(at, comma < 0 ? raw.length : comma));
      if (comma < 0) return cells;
      at = comma + 1;
    } else {
      const comma = raw.indexOf(',', at);
      cells.push(raw.slice(at, comma < 0 ? raw.length : comma));
      if (comma < 0) return cells;
      at = comma + 1;
    }
  }
}
