import { parse } from 'csv-parse/sync';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';
import { z } from 'zod';
import { patientInput, type PatientInputRaw } from '../../../shared/domain/patient';
import { CairnFailure } from '../../../shared/api/result';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';

dayjs.extend(customParseFormat);

/** The patient fields a CSV column can fill. */
export const CSV_FIELDS = [
  'givenName',
  'middleName',
  'familyName',
  'preferredName',
  'birthDate',
  'sex',
  'genderIdentity',
  'phone',
  'email',
  'mrn',
  'preferredLanguage',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'postalCode',
  'country',
  'insurancePayer',
  'insuranceMemberId',
  'insuranceGroup',
] as const;
type CsvField = (typeof CSV_FIELDS)[number];

const columnSpec = z.union([
  z.string().min(1),
  z.object({
    column: z.string().min(1),
    /** dayjs format of a date column, e.g. "MM/DD/YYYY" (parsed strictly). */
    format: z.string().min(1).optional(),
    /** Value translations, e.g. { "F": "female", "M": "male" } (matched case-insensitively). */
    values: z.record(z.string(), z.string()).optional(),
  }),
]);

/** A mapping file: which column fills which patient field, with date formats and value maps. */
export const csvMapping = z.strictObject({
  delimiter: z.string().length(1).default(','),
  columns: z
    .partialRecord(z.enum(CSV_FIELDS), columnSpec)
    .refine((c) => c.givenName && c.familyName && c.birthDate, 'the mapping must name the givenName, familyName and birthDate columns'),
  /** Columns kept as patient identifiers (a legacy chart number…). */
  identifiers: z.array(z.strictObject({ column: z.string().min(1), system: z.string().min(1), type: z.string().max(40).optional() })).default([]),
});
export type CsvMapping = z.infer<typeof csvMapping>;

export interface CsvRejection {
  /** Line number in the file (1 is the header). */
  line: number;
  reason: string;
}

export interface CsvImportResult {
  rows: number;
  accepted: number;
  rejected: CsvRejection[];
  patientIds: string[];
}

function spec(s: z.infer<typeof columnSpec>): { column: string; format?: string; values?: Record<string, string> } {
  return typeof s === 'string' ? { column: s } : s;
}

/** One CSV record as the patient input it describes, or the reason it cannot be. */
function toInput(record: Record<string, string>, m: CsvMapping): PatientInputRaw | string {
  const v: Partial<Record<CsvField, string>> = {};
  for (const [field, raw] of Object.entries(m.columns) as [CsvField, z.infer<typeof columnSpec>][]) {
    const s = spec(raw);
    let value = (record[s.column] ?? '').trim();
    if (value === '') continue;
    if (s.values) {
      const hit = Object.entries(s.values).find(([k]) => k.toLowerCase() === value.toLowerCase());
      if (hit) value = hit[1];
    }
    if (s.format) {
      const d = dayjs(value, s.format, true);
      if (!d.isValid()) return `${field}: "${value}" does not match the date format ${s.format}`;
      value = d.format('YYYY-MM-DD');
    }
    v[field] = value;
  }
  const identifiers = m.identifiers.flatMap((i) => {
    const value = (record[i.column] ?? '').trim();
    return value ? [{ system: i.system, value, ...(i.type && { type: i.type }) }] : [];
  });
  const hasAddress = v.addressLine1 ?? v.addressLine2 ?? v.city ?? v.state ?? v.postalCode ?? v.country;
  const hasInsurance = v.insurancePayer ?? v.insuranceMemberId ?? v.insuranceGroup;
  return {
    givenName: v.givenName ?? '',
    familyName: v.familyName ?? '',
    birthDate: v.birthDate ?? '',
    ...(v.middleName && { middleName: v.middleName }),
    ...(v.preferredName && { preferredName: v.preferredName }),
    ...(v.sex && { sex: v.sex.toLowerCase() as PatientInputRaw['sex'] }),
    ...(v.genderIdentity && { genderIdentity: v.genderIdentity }),
    ...(v.phone && { phone: v.phone }),
    ...(v.email && { email: v.email }),
    ...(v.mrn && { mrn: v.mrn }),
    ...(v.preferredLanguage && { preferredLanguage: v.preferredLanguage }),
    ...(hasAddress && {
      address: { line1: v.addressLine1, line2: v.addressLine2, city: v.city, state: v.state, postalCode: v.postalCode, country: v.country },
    }),
    ...(hasInsurance && { insurance: { payer: v.insurancePayer, memberId: v.insuranceMemberId, groupNumber: v.insuranceGroup } }),
    identifiers,
  };
}

/**
 * Imports patient demographics from a legacy system's CSV export through the patients repository
 * (each accepted row is one audited, synced registration). Every rejected row is reported with its
 * line number and the reason; the other rows are still imported.
 */
export function importPatientsCsv(repos: Repos, actor: Actor, text: string, mapping: CsvMapping): CsvImportResult {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: true,
      bom: true,
      delimiter: mapping.delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      trim: false,
    }) as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new CairnFailure('invalid_input', `the CSV file cannot be read${line ? ` at line ${line}` : ''}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const wanted = [...Object.values(mapping.columns).map((s) => spec(s).column), ...mapping.identifiers.map((i) => i.column)];
  const missing = records.length > 0 ? wanted.filter((c) => !header.includes(c)) : [];
  if (missing.length > 0)
    throw new CairnFailure('invalid_input', `the CSV file has no column ${missing.map((c) => `"${c}"`).join(', ')} (its columns: ${header.join(', ')})`);
  const result: CsvImportResult = { rows: records.length, accepted: 0, rejected: [], patientIds: [] };
  for (const { record, info } of records) {
    const line = info.lines;
    const input = toInput(record, mapping);
    if (typeof input === 'string') {
      result.rejected.push({ line, reason: input });
      continue;
    }
    const parsed = patientInput.safeParse(input);
    if (!parsed.success) {
      result.rejected.push({ line, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ') });
      continue;
    }
    try {
      result.patientIds.push(repos.patients.create(parsed.data, actor).id);
      result.accepted++;
    } catch (e) {
      result.rejected.push({ line, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return result;
}
