import type { ClaimStatus } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';

/** A claim status as a biller says it. */
export const STATUS_LABELS: Record<ClaimStatus, string> = {
  draft: 'Draft',
  ready: 'Ready',
  submitted: 'Submitted',
  accepted: 'Accepted',
  rejected: 'Rejected',
  paid: 'Paid',
  partially_paid: 'Partially paid',
  denied: 'Denied',
  void: 'Void',
};

/**
 * Badge colours chosen for contrast with the light variant's text (axe checks 4.5:1), so
 * nothing here is yellow or lime.
 */
export const STATUS_COLORS: Record<ClaimStatus, string> = {
  draft: 'gray',
  ready: 'blue',
  submitted: 'indigo',
  accepted: 'cyan',
  rejected: 'red',
  paid: 'teal',
  partially_paid: 'orange',
  denied: 'red',
  void: 'gray',
};

export const RANK_LABELS = { primary: 'Primary', secondary: 'Secondary', tertiary: 'Tertiary' } as const;

export const RELATIONSHIP_LABELS = { self: 'Self (the patient)', spouse: 'Spouse', child: 'Child', other: 'Other' } as const;

/** A timestamp in the person's own locale, short. */
export function when(iso: string): string {
  return new Date(iso).toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A File read as text (an X12 reply) or as a data URL (a card image). */
export function readFile(file: File, as: 'text' | 'dataUrl'): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    // Both read modes give a string.
    r.onload = () => resolve(typeof r.result === 'string' ? r.result : '');
    r.onerror = () => reject(r.error ?? new Error(`could not read ${file.name}`));
    if (as === 'text') r.readAsText(file);
    else r.readAsDataURL(file);
  });
}

/** The patient's balance in words: a negative balance is money the clinic holds for them. */
export function balanceWords(cents: number): string {
  if (cents === 0) return 'The patient owes nothing now.';
  return cents > 0 ? `The patient now owes ${formatCents(cents)}.` : `The patient now has a credit of ${formatCents(-cents)}.`;
}
