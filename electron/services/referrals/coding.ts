import { CairnFailure } from '../../../shared/api/result';
import type { Repos } from '../repos';

/**
 * ICD-10-CM codes checked against the shipped index as the problem list checks them: a code must
 * exist and be billable (a category header is refused, naming the code). Returns them as stored.
 */
export function checkedDiagnoses(repos: Repos, codes: readonly string[], path = 'diagnoses'): string[] {
  const out: string[] = [];
  codes.forEach((c, i) => {
    const code = repos.icd10().get(c);
    if (!code) throw new CairnFailure('invalid_input', `${c} is not an ICD-10-CM FY2026 code`, [{ path: `${path}.${i}`, message: 'unknown code' }]);
    if (!code.billable) {
      throw new CairnFailure('invalid_input', `${code.code} (${code.shortDescription}) is a category header: choose one of the billable codes under it`, [
        { path: `${path}.${i}`, message: 'choose a billable code' },
      ]);
    }
    if (!out.includes(code.code)) out.push(code.code);
  });
  return out;
}

/** Codes with their descriptions (null for a code the index does not know: an incoming referral's). */
export function diagnosesView(repos: Repos, codes: readonly string[]): { code: string; display: string | null }[] {
  return codes.map((code) => ({ code, display: repos.icd10().get(code)?.description ?? null }));
}

/** A user's display name, or null. */
export function userName(repos: Repos, userId: string | null): string | null {
  if (userId === null) return null;
  return repos.store.sqlite.prepare<[string], { name: string }>('SELECT display_name AS name FROM users WHERE id = ?').get(userId)?.name ?? null;
}
