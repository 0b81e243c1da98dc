/**
 * Errors cross every boundary (IPC, HTTP, CLI) as values, because only a message survives
 * Electron's structured clone: never rely on thrown class instances there.
 */

/** Stable machine codes; the message is for a person. */
export type ErrorCode =
  | 'invalid_input'
  | 'unknown_channel'
  | 'not_found'
  | 'conflict'
  | 'needs_override'
  /** A registration looks like a chart already here (same name, birth date, sex): confirm it is another person. */
  | 'possible_duplicate'
  | 'locked'
  | 'not_initialized'
  | 'already_initialized'
  | 'wrong_passphrase'
  | 'unauthenticated'
  | 'bad_credentials'
  | 'forbidden'
  /** The chart is restricted: the caller must break the glass (reason + password) first. */
  | 'break_glass_required'
  /** The account was disabled by an administrator. */
  | 'account_disabled'
  | 'database_error'
  /** The clinic server could not be reached; the change waits on this device. */
  | 'offline'
  /** This device has not been enrolled with a clinic server. */
  | 'not_enrolled'
  /** What was asked for is not on this device (a document's content still on the clinic server). */
  | 'not_available'
  | 'internal';

export interface FieldIssue {
  /** Dotted path into the input, e.g. `address.postalCode`. */
  path: string;
  message: string;
}

export interface CairnError {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

export type Ok<T> = { ok: true; value: T };
export type Err = { ok: false; error: CairnError };
export type Result<T> = Ok<T> | Err;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string, issues?: FieldIssue[]): Err => ({
  ok: false,
  error: issues ? { code, message, issues } : { code, message },
});

/**
 * A thrown error that carries a code, for services to raise deep in a call; the dispatcher turns
 * it into an `Err` value at the boundary.
 */
export class CairnFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'CairnFailure';
  }
}
