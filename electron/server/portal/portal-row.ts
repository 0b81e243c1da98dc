/** One merged row of the clinic server (sync_rows.data): column name to SQLite value. */
export type Row = Record<string, string | number | null>;

/** A non-empty text value (a number said as text), else null. */
export const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
/** A finite number (or a number written as text), else null. */
export const n = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
/** SQLite's and JSON's ways of saying true. */
export const truthy = (v: unknown): boolean => v === 1 || v === true || v === '1' || v === 'true';
