/**
 * The staff password policy, NIST SP 800-63B style: length over composition rules. A password is
 * refused when it is short, a repeat or a keyboard/counting run, built from a name the clinic knows
 * (the user's, the person's, the clinic's, the product's) or, where the list is at hand, on a list of
 * breached and common passwords — even with digits and symbols added at its ends or leet spellings
 * (`P@ssw0rd2026!`). No rule asks for a capital letter or a symbol.
 *
 * Pure: the renderer checks everything but the list (it does not ship 49,000 passwords); the backend
 * passes `isCommon` (electron/services/auth/password-policy.ts) and so checks all of it.
 *
 * @example
 * passwordProblem('Summer2026!', {}) // 'password must be at least 12 characters: …'
 * passwordProblem('violet anchor marble kettle', { username: 'alice' }) // null
 */

export const PASSWORD_MIN = 12;
/** NIST asks that at least 64 be allowed; scrypt makes any length cost the same. */
export const PASSWORD_MAX = 128;
/** The product's own name is the first thing a guesser tries at a Cairn clinic. */
const PRODUCT_NAME = 'Cairn';

export interface PasswordContext {
  username?: string | undefined;
  /** The person's name ("Dr. Meredith Gray"). */
  displayName?: string | undefined;
  clinicName?: string | undefined;
}

/** Whether a lower-case candidate is on the breached/common list. */
export type CommonPasswordCheck = (candidate: string) => boolean;

const ADVICE = 'use three or four unrelated words, e.g. "violet anchor marble kettle"';

/** The hint under a password field, so a person knows the rules before a refusal. */
export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters: a few unrelated words work well. Not a common password, and not built from your, the user's or the clinic's name.`;

const LEET: Record<string, string> = {
  '4': 'a',
  '@': 'a',
  '8': 'b',
  '(': 'c',
  '3': 'e',
  '6': 'g',
  '9': 'g',
  '1': 'i',
  '!': 'i',
  '|': 'l',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
  '+': 't',
  '2': 'z',
};

const lettersOnly = (s: string): string => s.replace(/[^a-z]/g, '');
const fold = (s: string, one: 'i' | 'l'): string => [...s].map((c) => (c === '1' ? one : (LEET[c] ?? c))).join('');

/**
 * The spellings a guesser would try for this password: as typed (lower case); without the digits and
 * symbols at its ends ("summer2026!" → "summer"); with leet folded ("p@ssw0rd" → "password"); and
 * letters only ("pass-word-77" → "password").
 */
export function passwordCandidates(password: string): string[] {
  const w = password.normalize('NFKC').toLowerCase();
  const trimmed = w.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const out = new Set<string>([w, trimmed, lettersOnly(w)]);
  for (const one of ['i', 'l'] as const) {
    out.add(lettersOnly(fold(trimmed, one)));
    out.add(lettersOnly(fold(w, one)));
  }
  out.delete('');
  return [...out];
}

/** The shortest unit the whole string repeats ("abcabcabc" → "abc"), or null. */
function repeatedUnit(s: string): string | null {
  const m = /^(.+?)\1+$/.exec(s);
  return m ? m[1]! : null;
}

const RUNS = [
  'abcdefghijklmnopqrstuvwxyz',
  '01234567890123456789',
  'qwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
];

/** A keyboard row or counting run, forwards or backwards ("123456789012", "qwertyuiopas"). */
function isRun(s: string): boolean {
  const t = s.replace(/[^a-z0-9]/g, '');
  if (t.length < 6) return false;
  return RUNS.some((r) => {
    const long = r.repeat(3);
    return long.includes(t) || [...long].reverse().join('').includes(t);
  });
}

/** Name words worth refusing: the whole name folded, and each word of it of 3 letters or more. */
function nameTokens(ctx: PasswordContext): { label: string; tokens: string[] }[] {
  const named: [string, string | undefined][] = [
    ['the user name', ctx.username],
    ["the person's name", ctx.displayName],
    ["the clinic's name", ctx.clinicName],
    ['the name of the product', PRODUCT_NAME],
  ];
  return named
    .filter((n): n is [string, string] => typeof n[1] === 'string' && n[1].trim() !== '')
    .map(([label, value]) => {
      const lower = value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
      const words = lower
        .split(/[^a-z0-9]+/)
        .map(lettersOnly)
        .filter((x) => x.length >= 3);
      const whole = lettersOnly(lower);
      return { label, tokens: [...new Set([whole, ...words])].filter((x) => x.length >= 3).sort((a, b) => b.length - a.length) };
    });
}

/**
 * Why this password is refused, as one sentence saying what to do; null when it is acceptable.
 * `isCommon` is the breached/common list (backend only).
 */
export function passwordProblem(password: string, ctx: PasswordContext = {}, isCommon?: CommonPasswordCheck): string | null {
  const length = [...password.normalize('NFC')].length;
  if (length < PASSWORD_MIN) return `password must be at least ${PASSWORD_MIN} characters (this one has ${length}): ${ADVICE}`;
  if (length > PASSWORD_MAX) return `password must be at most ${PASSWORD_MAX} characters`;
  const candidates = passwordCandidates(password);
  const lower = candidates[0]!;
  if (new Set(lower).size < 4 || repeatedUnit(lower.replace(/[^a-z0-9]/g, '')) !== null) {
    return `password repeats the same characters or word: ${ADVICE}`;
  }
  if (isRun(lower)) return `password is a keyboard or counting sequence: ${ADVICE}`;
  const common = (c: string): boolean => isCommon?.(c) === true;
  for (const { label, tokens } of nameTokens(ctx)) {
    for (const c of candidates) {
      let rest = c;
      const used = tokens.filter((t) => rest.includes(t) && ((rest = rest.split(t).join('')), true));
      if (used.length === 0) continue;
      // What is left once the name is taken out: nothing much, or itself a common password.
      if (lettersOnly(rest).length < 4 || common(rest) || common(lettersOnly(rest))) {
        return `password is built from ${label} ("${used.join('", "')}"; digits, symbols and look-alike letters do not hide it): ${ADVICE}`;
      }
    }
  }
  for (const c of candidates) {
    const unit = repeatedUnit(c);
    if (common(c) || (unit !== null && common(unit))) {
      return `password is on a list of breached or common passwords (as "${unit ?? c}"; digits and symbols added to a common word do not make it safe): ${ADVICE}`;
    }
  }
  return null;
}
