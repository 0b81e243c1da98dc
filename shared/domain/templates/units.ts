// Numbers and UCUM units as a person reads them: shared by the content schema's messages and the rendered note.

/** A number as written in a note and in messages (not re-exported from index.ts). */
export const fmt = (n: number): string => String(n);

const UCUM_DISPLAY: Readonly<Record<string, string>> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  '[lb_av]': 'lb',
  '[oz_av]': 'oz',
  '[in_i]': 'in',
  '{beats}/min': 'beats/min',
  '{breaths}/min': 'breaths/min',
};

/** A UCUM code as a person reads it: "mm[Hg]" → "mmHg", "Cel" → "°C", "kg/m2" → "kg/m2". */
export function ucumDisplay(unit: string): string {
  return UCUM_DISPLAY[unit] ?? unit.replace(/\{[^}]*\}/g, '').replace(/[[\]]/g, '');
}

/** A number followed by its unit as read ("120 mmHg", "37 °C", "98%"); not re-exported from index.ts. */
export function withUnit(n: number, unit: string | undefined): string {
  if (!unit) return fmt(n);
  const u = ucumDisplay(unit);
  return /^[/%]/.test(u) ? `${fmt(n)}${u}` : `${fmt(n)} ${u}`;
}
