/** A date as the lists show it ("2026-03-04"), or a dash. */
export function day(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '—';
}
