/**
 * What the population channels take and give: preventive care for one chart, the practice's due
 * list, and quality measure reports (counts, with the patients of each group on request).
 */
import { z } from 'zod';
import { isIsoDate } from './dates';

const isoDate = z.string().refine(isIsoDate, 'a date as YYYY-MM-DD');
const year = z.number().int().min(2000, 'a year from 2000').max(2100, 'a year up to 2100');

export const preventiveStatus = z.enum(['due', 'overdue', 'done', 'not_applicable']);
/** A preventive item's status as the chart shows it. */
export const PREVENTIVE_STATUS_LABELS: Readonly<Record<z.infer<typeof preventiveStatus>, string>> = {
  overdue: 'overdue',
  due: 'due',
  done: 'done',
  not_applicable: 'not applicable',
};

export const preventiveItemView = z.object({
  ruleId: z.string(),
  title: z.string(),
  status: preventiveStatus,
  dueOn: z.string().nullable(),
  evidence: z.object({ kind: z.string(), code: z.string(), label: z.string(), on: z.string() }).nullable(),
  why: z.string(),
  citation: z.string(),
  rulesVersion: z.string(),
});
export type PreventiveItemView = z.infer<typeof preventiveItemView>;

export const preventiveInput = z.object({ patientId: z.uuid('not a patient id'), on: isoDate.optional() }).strict();

export const dueListInput = z
  .object({
    on: isoDate.optional(),
    ruleIds: z.array(z.string().min(1).max(80)).max(50).optional(),
    statuses: z
      .array(z.enum(['due', 'overdue']))
      .min(1)
      .default(['due', 'overdue']),
    providerId: z.string().min(1).max(80).optional(),
    limit: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict();
export type DueListInput = z.infer<typeof dueListInput>;

export const dueListRow = z.object({
  patientId: z.string(),
  name: z.string(),
  mrn: z.string().nullable(),
  birthDate: z.string(),
  providerId: z.string().nullable(),
  ruleId: z.string(),
  title: z.string(),
  status: z.enum(['due', 'overdue']),
  dueOn: z.string().nullable(),
  lastDone: z.string().nullable(),
});
export type DueListRow = z.infer<typeof dueListRow>;

export const dueList = z.object({
  on: z.string(),
  rulesVersion: z.string(),
  rows: z.array(dueListRow),
  total: z.number().int(),
  /** Count per rule (and status), for the dashboard. */
  counts: z.array(z.object({ ruleId: z.string(), title: z.string(), due: z.number().int(), overdue: z.number().int() })),
  /** Restricted charts are counted, never listed. */
  restrictedNotListed: z.number().int(),
});
export type DueList = z.infer<typeof dueList>;

export const measuresInput = z.object({ year, providerId: z.string().min(1).max(80).optional() }).strict();
export type MeasuresInput = z.infer<typeof measuresInput>;

export const populationCounts = z.object({
  id: z.string(),
  label: z.string(),
  inverse: z.boolean(),
  denominator: z.number().int(),
  exclusions: z.number().int(),
  numerator: z.number().int(),
  gaps: z.number().int(),
  rate: z.number().nullable(),
});

export const measureSummary = z.object({
  id: z.string(),
  title: z.string(),
  version: z.string(),
  period: z.object({ start: z.string(), end: z.string() }),
  approximations: z.array(z.string()),
  populations: z.array(populationCounts),
});
export type MeasureSummary = z.infer<typeof measureSummary>;

export const measureTrendPoint = z.object({ periodEnd: z.string(), measureId: z.string(), populationId: z.string(), rate: z.number().nullable() });
export type MeasureTrendPoint = z.infer<typeof measureTrendPoint>;

export const measurePatientsInput = z
  .object({
    year,
    providerId: z.string().min(1).max(80).optional(),
    measureId: z.string().min(1).max(20),
    populationId: z.string().min(1).max(40).default('main'),
    group: z.enum(['denominator', 'excluded', 'numerator', 'gaps']),
  })
  .strict();

export const measurePatient = z.object({ id: z.string(), name: z.string(), mrn: z.string().nullable(), birthDate: z.string(), restricted: z.boolean() });
export type MeasurePatient = z.infer<typeof measurePatient>;
