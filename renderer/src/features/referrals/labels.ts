import type { ReferralStatus } from '../../../../shared/domain/records';
import type { ReferralUrgency } from '../../../../shared/domain/referrals';

// How referrals read on the screens: the words and colours of each status and urgency, and dates.

export const STATUS_LABELS: Readonly<Record<ReferralStatus, string>> = {
  draft: 'Draft',
  sent: 'Sent',
  scheduled: 'Scheduled',
  consult_received: 'Consult note received',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

export const STATUS_COLORS: Readonly<Record<ReferralStatus, string>> = {
  draft: 'gray',
  sent: 'blue',
  scheduled: 'cyan',
  consult_received: 'teal',
  closed: 'green',
  cancelled: 'red',
};

export const URGENCY_LABELS: Readonly<Record<ReferralUrgency, string>> = { routine: 'Routine', urgent: 'Urgent', stat: 'STAT' };
// Dark enough on the light badge for WCAG AA text contrast.
export const URGENCY_COLORS: Readonly<Record<ReferralUrgency, string>> = { routine: 'gray', urgent: 'orange', stat: 'red' };

/** A date and time in the clinic's reading (local), or a dash. */
export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** A date (YYYY-MM-DD as stored, or the date part of a timestamp), or a dash. */
export function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '—';
}

/** "3 days overdue", "due today", "due in 2 days". */
export function overdueWords(days: number): string {
  if (days === 0) return 'due today';
  if (days < 0) return `due in ${-days} day${days === -1 ? '' : 's'}`;
  return `${days} day${days === 1 ? '' : 's'} overdue`;
}

/** A datetime-local field's value ("2026-03-04T09:30") as an ISO instant, or null when empty or unreadable. */
export function localToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
