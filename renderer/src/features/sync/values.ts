import type { WireValue } from '../../../../shared/domain/sync-review';

/** A stored value as a person reads it: empty said plainly, a note's JSON as its text, long text cut. */
export function showValue(v: WireValue, max = 240): string {
  if (v === null || v === '') return '(empty)';
  let text = String(v);
  if (typeof v === 'string' && v.startsWith('{')) {
    try {
      const parsed = JSON.parse(v) as Record<string, unknown>;
      text =
        Object.values(parsed)
          .filter((x) => typeof x === 'string' && x.trim() !== '')
          .join(' · ') || '(empty note)';
    } catch {
      // Not JSON after all: show it as it is.
    }
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}
