import { z } from 'zod';
import { isHlc } from './hlc';

/**
 * The sync wire protocol between a device and the clinic server (JSON over HTTPS).
 * Every body is validated with these schemas on both ends.
 */

const hlc = z.string().max(200).refine(isHlc, 'not a hybrid logical clock value');

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Column name → text (≤ 5 MB), finite number or null. */
function isFields(v: unknown): v is Record<string, string | number | null> {
  if (!isRecord(v)) return false;
  for (const k in v) {
    const x = v[k];
    if (k.length > 64) return false;
    if (!(x === null || (typeof x === 'string' && x.length <= 5_000_000) || (typeof x === 'number' && Number.isFinite(x)))) return false;
  }
  return true;
}

/** Column name → hybrid logical clock. */
function isClocks(v: unknown): v is Record<string, string> {
  if (!isRecord(v)) return false;
  for (const k in v) {
    const x = v[k];
    if (k.length > 64 || typeof x !== 'string' || x.length > 200 || !isHlc(x)) return false;
  }
  return true;
}

// Important: the same rules as z.record(z.string().max(64), …) checked in one loop. A push or pull
// page carries thousands of these maps, and the generic record schema cost ten times the JSON
// parse itself (40 ms per 1,000 mutations).
const fields = z.custom<Record<string, string | number | null>>(isFields, {
  message: 'fields must map column names (at most 64 characters) to text, finite numbers or null',
});
const clocks = z.custom<Record<string, string>>(isClocks, {
  message: 'clocks must map column names (at most 64 characters) to hybrid logical clock values',
});

/** Bumped when the protocol itself changes shape. */
export const PROTOCOL_VERSION = 1;

export const mutation = z.object({
  seq: z.number().int().positive(),
  entity: z.string().min(1).max(64),
  id: z.string().min(1).max(100),
  op: z.enum(['insert', 'update']),
  hlc,
  authorId: z.string().min(1).max(100),
  patientId: z.string().max(100).nullable(),
  fields,
  base: clocks,
});
export type Mutation = z.infer<typeof mutation>;

export const auditEntry = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  userId: z.string().nullable(),
  action: z.string(),
  patientId: z.string().nullable(),
  recordType: z.string().nullable(),
  recordId: z.string().nullable(),
  detail: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type WireAuditEntry = z.infer<typeof auditEntry>;

export const pushRequest = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  /** The device's schema version (number of applied migrations). */
  schemaVersion: z.number().int().nonnegative(),
  /** The device's wall clock when it sent this, epoch ms. */
  clientTime: z.number(),
  mutations: z.array(mutation).max(5000),
  audit: z.array(auditEntry).max(20000).default([]),
});
export type PushRequest = z.infer<typeof pushRequest>;

export const mutationResult = z.discriminatedUnion('status', [
  z.object({ seq: z.number(), status: z.literal('applied'), serverSeq: z.number() }),
  z.object({ seq: z.number(), status: z.literal('duplicate'), serverSeq: z.number().nullable() }),
  z.object({
    seq: z.number(),
    status: z.literal('rejected'),
    code: z.string(),
    message: z.string(),
    /** The record as the server holds it, so the device can show it instead of the refused change. */
    current: z.object({ fields, clocks, serverSeq: z.number() }).nullable().optional(),
  }),
]);
export type MutationResult = z.infer<typeof mutationResult>;

export const pushResponse = z.object({
  results: z.array(mutationResult),
  auditAccepted: z.number(),
  serverTime: z.number(),
  /**
   * The highest change sequence of this device the server holds (after this push). A device
   * restored from a backup learns from it where its numbering stands, so that changes written
   * after the restore never reuse a number the server already answered for.
   */
  lastSeq: z.number().optional(),
});
export type PushResponse = z.infer<typeof pushResponse>;

export const change = z.object({
  serverSeq: z.number(),
  entity: z.string(),
  id: z.string(),
  op: z.enum(['insert', 'update']),
  patientId: z.string().nullable(),
  fields,
  /**
   * Each column's clock; on a page asked for with `clocks=compact` (PULL_COMPACT_CLOCKS), only the
   * columns whose clock is not `hlc`. Read a column's clock with clockOf (compact-clocks.ts).
   */
  clocks,
  /** On a compact page: the clock of every column `clocks` leaves out (null when it names them all). */
  hlc: hlc.nullable().optional(),
  deviceId: z.string().nullable(),
  deviceSeq: z.number().nullable(),
  /**
   * On a page asked for with `own=echo` (PULL_OWN_ECHOES): this is the asking device's own change
   * (`deviceSeq`), sent back without its columns (`fields` and `clocks` empty) because every column
   * the server logged for it carries `hlc`, the clock that change was written with.
   */
  echo: z.literal(true).optional(),
});
export type Change = z.infer<typeof change>;

/**
 * The pull query that asks for compact clocks (`&clocks=compact`): each change carries the clock
 * most of its columns share once (`hlc`) instead of once per column. A new record's ~30 columns
 * repeated one ~60-byte clock: that was two thirds of a page's bytes, to encode, send, decode and
 * parse. Without it a page carries every column's clock, as devices of earlier versions expect.
 */
export const PULL_COMPACT_CLOCKS = 'compact';

/**
 * The pull query (`&own=echo`, with compact clocks) that asks for the device's own changes as echoes:
 * a change it pushed that the server logged exactly as written comes back as its sequence numbers
 * and its clock, not its columns. After a day offline, the catch-up pull is mostly those: 10,000
 * registrations pushed came back in full, about 1 KB each, to be compared and skipped. A device
 * that cannot vouch for an echo (its outbox does not hold that change with that clock and server
 * sequence, as after a restore from backup) asks for the page again without echoes.
 */
export const PULL_OWN_ECHOES = 'echo';

export const pullResponse = z.object({
  changes: z.array(change),
  /** The cursor to ask from next time (the last serverSeq in this page, or the one asked from). */
  cursor: z.number(),
  /** The highest serverSeq committed when this page was read: for progress bars. */
  head: z.number(),
  more: z.boolean(),
  serverTime: z.number(),
});
export type PullResponse = z.infer<typeof pullResponse>;

export const enrollRequest = z.object({
  code: z.string().min(6).max(64),
  deviceId: z.string().min(1).max(100),
  deviceName: z.string().min(1).max(200),
  /** The device's user accounts, so the server knows their roles from the start. */
  users: z.array(z.object({ fields, clocks })).max(1000),
});
export const enrollResponse = z.object({
  deviceId: z.string(),
  token: z.string(),
  mrnBlock: z.number().int().positive(),
  serverTime: z.number(),
  operator: z.boolean().default(false),
});

/** Every error the server answers with. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), expectedSeq: z.number().optional(), serverTime: z.number().optional() }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** Header naming the signed-in user a device syncs for (who must hold one of the sessions below). */
export const USER_HEADER = 'x-cairn-user';
/** Header carrying the user sessions a device holds (comma-separated tokens the server issued). */
export const SESSIONS_HEADER = 'x-cairn-sessions';

/** A user signing in on an enrolled device, checked by the clinic server. */
export const signInRequest = z.object({
  username: z.string().trim().min(1, 'a user name is required').max(100),
  password: z.string().min(1, 'a password is required').max(1024),
});
export const signInResponse = z.object({ userId: z.string(), role: z.string(), token: z.string(), expiresAt: z.string() });
