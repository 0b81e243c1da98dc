import { createHash, randomInt } from 'node:crypto';
import { INVITE_CODE_ALPHABET, INVITE_DAYS, normaliseInviteCode } from '../../../shared/domain/portal';

const LENGTH = 10;

/**
 * A new one-time portal code: 10 characters drawn uniformly (crypto.randomInt) from an alphabet
 * with no 0/O or 1/I (32 letters: 50 bits), shown as two groups of five, "7KQ2M-XW9PD".
 */
export function newInviteCode(): string {
  let s = '';
  for (let i = 0; i < LENGTH; i++) s += INVITE_CODE_ALPHABET[randomInt(INVITE_CODE_ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/**
 * What the database keeps of a code: the SHA-256 (hex) of its normalised form. The clinic server
 * hashes what the patient types the same way and compares. Important: the code itself is never
 * stored, logged or audited; only the printed letter and the one answer that made it carry it.
 */
export function inviteCodeHash(code: string): string {
  return createHash('sha256').update(normaliseInviteCode(code), 'utf8').digest('hex');
}

/** When a code made at `at` stops working: INVITE_DAYS later, to the millisecond. */
export function inviteExpiry(at: string): string {
  return new Date(Date.parse(at) + INVITE_DAYS * 86_400_000).toISOString();
}
