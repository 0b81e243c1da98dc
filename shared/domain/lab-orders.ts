/**
 * Lab orders: LOINC-coded tests, order sets (data: resources/labs/order-sets.json), the order input and
 * the status rules. Pure: the caller reads the files and passes them in.
 *
 * Status: draft → ordered → collected → partial → final; cancelled from any state before a result.
 */
import { z } from 'zod';
import { luhnCheckDigit } from './luhn';

/** The LOINC check digit (mod 10, Luhn) of the part before the hyphen. */
export function loincCheckDigit(body: string): number {
  return luhnCheckDigit(body);
}

/** True for a well-formed LOINC code whose check digit is right (`2160-0`). */
export function isLoincCode(code: string): boolean {
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  return m !== null && loincCheckDigit(m[1]!) === Number(m[2]);
}

export const loincCode = z.string().trim().refine(isLoincCode, 'not a LOINC code (e.g. 2160-0, with its check digit)');

/** One test on an order, as stored in `lab_orders.tests`. */
export const labTest = z.object({ loinc: loincCode, display: z.string().trim().min(1).max(300) }).strict();
export type LabTest = z.infer<typeof labTest>;

/** An order set: the orderable code (a panel, or the single test) and the result codes it brings back. */
export const orderSet = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an order set id is lower-case letters, digits and hyphens'),
    name: z.string().trim().min(1).max(100),
    orderable: labTest,
    specimen: z.string().trim().min(1).max(200),
    components: z.array(labTest).min(1),
  })
  .strict();
export type OrderSet = z.infer<typeof orderSet>;

/** resources/labs/order-sets.json. */
export const orderSetsFile = z
  .object({ $comment: z.string().optional(), orderSets: z.array(orderSet).min(1) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.orderSets.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['orderSets', i, 'id'], message: `order set id "${s.id}" is used twice` });
      seen.add(s.id);
    });
  });
export type OrderSetsFile = z.infer<typeof orderSetsFile>;

export const LAB_ORDER_STATUSES = ['draft', 'ordered', 'collected', 'partial', 'final', 'cancelled'] as const;
export const labOrderStatus = z.enum(LAB_ORDER_STATUSES);
export type LabOrderStatus = z.infer<typeof labOrderStatus>;

/** Where each status may go next. Final and cancelled are the end. */
export const LAB_ORDER_TRANSITIONS: { readonly [S in LabOrderStatus]: readonly LabOrderStatus[] } = {
  draft: ['ordered', 'cancelled'],
  ordered: ['collected', 'cancelled'],
  collected: ['partial', 'final', 'cancelled'],
  partial: ['final'],
  final: [],
  cancelled: [],
};

/** Whether an order may move from `from` to `to`. */
export function canTransition(from: LabOrderStatus, to: LabOrderStatus): boolean {
  return LAB_ORDER_TRANSITIONS[from].includes(to);
}

/** Why a status change is refused, for a person; null when it is allowed. */
export function transitionProblem(from: LabOrderStatus, to: LabOrderStatus): string | null {
  if (canTransition(from, to)) return null;
  if (from === to) return `the order is already ${from}`;
  const next = LAB_ORDER_TRANSITIONS[from];
  return next.length === 0
    ? `the order is ${from}: its status can no longer change`
    : `an order that is ${from} cannot become ${to} (it may become ${next.join(' or ')})`;
}

/** What the lab has reported for one test (OBR group) of an order, over every message so far. */
export interface ReportedTest {
  /** OBR-4 code (the panel or single test). */
  code: string;
  /** Every current result of the test is final (or corrected), and the lab did not call the report partial (OBR-25). */
  final: boolean;
}

/**
 * The status an order moves to when results for it arrive, or null to leave it: final once every
 * ordered test has a final report, else partial. A result means the specimen was collected, so
 * this may skip "collected" (the lab's word, not a person's choice of transition). Cancelled and
 * final orders stay as they are (a correction after final keeps the order final).
 */
export function orderStatusFromResults(current: LabOrderStatus, ordered: readonly LabTest[], reported: readonly ReportedTest[]): LabOrderStatus | null {
  if (current === 'cancelled' || current === 'final' || reported.length === 0) return null;
  const finals = new Set(reported.filter((t) => t.final).map((t) => t.code));
  const allReportedFinal = reported.every((t) => t.final);
  // A lab may answer a panel with other OBR-4 codes than the ones ordered: then enough final reports count.
  const everyTestCovered = ordered.every((t) => finals.has(t.loinc)) || finals.size >= ordered.length;
  const next: LabOrderStatus = allReportedFinal && everyTestCovered ? 'final' : 'partial';
  return next === current ? null : next;
}

/**
 * A placer order number as a caller gives it: kept whole, `^` components included (`123^LAB`), so a
 * result that echoes it in OBR-2 finds its order. No other HL7 delimiter may appear in it.
 */
export const placerNumber = z
  .string()
  .trim()
  .min(1, 'give a placer number or leave it out')
  .max(100, 'at most 100 characters')
  .refine((s) => !/[|~\\&\r\n]/.test(s), 'a placer number may not contain | ~ \\ & or a line break')
  .refine((s) => !s.startsWith('^') && !s.endsWith('^'), 'a placer number may not begin or end with ^');

/** labs.order: tests from order sets and/or single LOINC codes from the catalogue. */
export const labOrderInput = z
  .object({
    patientId: z.uuid('not a patient id'),
    encounterId: z.uuid('not an encounter id').optional(),
    orderSetIds: z.array(z.string().min(1).max(50)).max(30).default([]),
    /** Single tests by code; the display comes from the catalogue. */
    loincCodes: z.array(loincCode).max(50).default([]),
    placerNumber: placerNumber.optional(),
    status: z.enum(['draft', 'ordered']).default('ordered'),
  })
  .strict()
  .refine((o) => o.orderSetIds.length + o.loincCodes.length > 0, { path: ['orderSetIds'], message: 'choose at least one test or order set' });
export type LabOrderInput = z.input<typeof labOrderInput>;
/** A validated labs.order input (defaults applied). */
export type LabOrderRequest = z.output<typeof labOrderInput>;

export const labOrderStatusInput = z.object({ id: z.uuid('not a lab order id'), status: labOrderStatus }).strict();

/** A lab order as the app sees it. */
export const labOrder = z.object({
  id: z.string(),
  patientId: z.string(),
  encounterId: z.string().nullable(),
  placerNumber: z.string(),
  fillerNumber: z.string().nullable(),
  tests: z.array(labTest),
  status: labOrderStatus,
  orderedBy: z.string().nullable(),
  orderedAt: z.string(),
  version: z.number().int(),
});
export type LabOrder = z.infer<typeof labOrder>;
