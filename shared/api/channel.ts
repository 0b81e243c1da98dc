import { z } from 'zod';
import type { Role } from '../domain/user';

/** Who may call a channel: 'public' works before sign-in (setup, unlock, sign-in itself). */
export type Access = 'public' | readonly Role[];

/** Rows a channel may name by their own id, traced to their patient by the chart guard. */
export type ChartRow =
  | 'encounter'
  | 'note'
  | 'problem'
  | 'allergy'
  | 'prescription'
  | 'medication_course'
  | 'sync_conflict'
  | 'observation'
  | 'lab_order'
  | 'claim'
  | 'coverage'
  | 'portal_invite'
  | 'portal_thread'
  | 'portal_message'
  | 'patient_reported_item'
  | 'document'
  | 'reconcile_item'
  | 'ccda_import'
  | 'referral'
  | 'care_event';
/** The patient a row belongs to (undefined: no such row, or no id given). */
export type OwnerOf = (row: ChartRow, id: string | undefined) => string | undefined;
/**
 * Whose charts a call reads or writes, from its validated input; 'none' for a channel that touches
 * no chart (or reduces restricted charts to their name itself, as search does).
 */
export type ChartScope<I> = 'none' | ((input: I, ownerOf: OwnerOf) => readonly (string | undefined)[]);

/**
 * One channel, defined once: its input and output schemas, the roles that may call it, its
 * restricted-chart scope and one line on what it does. The dispatcher validates against the
 * schemas, refuses other roles before anything runs, and guards the charts the scope names.
 */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, A extends Access = Access> {
  readonly doc: string;
  readonly input: I;
  readonly output: O;
  readonly roles: A;
  readonly scope: ChartScope<z.output<I>>;
  /** Polled by the screen on its own: a call is not activity for the idle sign-out. */
  readonly passive?: boolean;
}

/** Declares a channel (types inferred from the schemas; roles and scope cannot be left out). */
export function channel<I extends z.ZodType, O extends z.ZodType, const A extends Access>(spec: ChannelSpec<I, O, A>): ChannelSpec<I, O, A> {
  return spec;
}

/** The input of a channel that takes nothing. */
export const none = z.object({}).strict();

/** The scope of a call that names its patient. */
export const ofPatient = (i: { patientId: string }): string[] => [i.patientId];
/** The scope of a call that names its patient and perhaps a visit (the visit's patient is checked too). */
export const ofPatientAndVisit = (i: { patientId: string; encounterId?: string | undefined }, o: OwnerOf): (string | undefined)[] => [
  i.patientId,
  o('encounter', i.encounterId),
];
