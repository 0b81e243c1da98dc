/** A result time as the clinic reads it (local date and time). */
export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** "70–99 mg/dL", or the range text the lab sent. */
export function range(r: { refLow: number | null; refHigh: number | null; refText?: string | null }): string {
  if (r.refLow === null && r.refHigh === null) return r.refText ?? '';
  return `${r.refLow ?? ''}–${r.refHigh ?? ''}`;
}
