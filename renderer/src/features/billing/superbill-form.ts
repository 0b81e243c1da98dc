import type { z } from 'zod';
import { superbillInput } from '../../../../shared/domain/billing/model';
import { parseDollars } from '../../../../shared/domain/money';
import { zodValidate } from '../../lib/zod-form';

/** A diagnosis on the superbill, with the words the picker showed for it. */
export interface DxItem {
  code: string;
  description: string;
}

/** A procedure line as typed: modifiers and the charge override are text until saved. */
export interface LineItem {
  key: number;
  code: string;
  description: string;
  feeCents: number | null;
  modifiers: string;
  units: number;
  pointers: number[];
  charge: string;
}

export interface SuperbillDraft {
  diagnoses: DxItem[];
  lines: LineItem[];
  placeOfService: string;
  renderingNpi: string;
}

export const PLACES_OF_SERVICE = [
  { value: '11', label: '11 Office' },
  { value: '02', label: '02 Telehealth (not in the patient’s home)' },
  { value: '10', label: '10 Telehealth in the patient’s home' },
  { value: '12', label: '12 Home' },
];

/** "25, 59" or "25 59" → ["25", "59"]. */
export const splitModifiers = (s: string): string[] =>
  s
    .toUpperCase()
    .split(/[\s,]+/)
    .filter(Boolean);

/** The channel input from the draft. An unreadable charge is NaN so the schema names it instead of dropping it. */
export function toSuperbillInput(encounterId: string, d: SuperbillDraft): z.input<typeof superbillInput> {
  return {
    encounterId,
    diagnoses: d.diagnoses.map((x) => x.code),
    lines: d.lines.map((l) => ({
      code: l.code,
      modifiers: splitModifiers(l.modifiers),
      units: l.units,
      pointers: l.pointers,
      ...(l.charge.trim() && { chargeCents: parseDollars(l.charge) ?? Number.NaN }),
    })),
    placeOfService: d.placeOfService,
    ...(d.renderingNpi.trim() && { renderingNpi: d.renderingNpi.trim() }),
  };
}

const schemaErrors = zodValidate(superbillInput);

/** Errors keyed by the input's paths (`lines.0.units`, `diagnoses`, `renderingNpi`). */
export function validateSuperbill(encounterId: string, d: SuperbillDraft): Record<string, string> {
  return schemaErrors(toSuperbillInput(encounterId, d));
}
