import type { X12Adjustment, X12Address, X12Person, X12Provider } from './types';
import type { X12Writer } from './write';

/** Segments the 837P and 270 builders share: names, addresses, demographics, adjustments. */

/** NM1 for a person (NM102 = 1) with an optional id (NM108/NM109). */
export function nm1Person(w: X12Writer, entity: string, p: X12Person, idQualifier?: string, id?: string): void {
  need(w, p.lastName, `NM1*${entity} last name`);
  w.seg('NM1', entity, '1', p.lastName, p.firstName, p.middleName, undefined, undefined, idQualifier, id);
}

/** NM1 for an organisation (NM102 = 2). */
export function nm1Org(w: X12Writer, entity: string, name: string, idQualifier?: string, id?: string): void {
  need(w, name, `NM1*${entity} name`);
  w.seg('NM1', entity, '2', name, undefined, undefined, undefined, undefined, idQualifier, id);
}

/** NM1 for a provider: a person when `person` is set, else an organisation; always with its NPI (XX). */
export function nm1Provider(w: X12Writer, entity: string, p: X12Provider): void {
  if (!/^\d{10}$/.test(p.npi)) w.fail(`NM1*${entity} NPI "${p.npi}" must be 10 digits`, 'NM1');
  if (p.person !== undefined) nm1Person(w, entity, p.person, 'XX', p.npi);
  else nm1Org(w, entity, p.name, 'XX', p.npi);
}

/** N3 and N4 (ZIP without its hyphen). */
export function address(w: X12Writer, a: X12Address | undefined, what: string): void {
  if (a === undefined) return;
  need(w, a.line1, `${what} address line 1`);
  w.seg('N3', a.line1, a.line2);
  const zip = a.zip.replace('-', '');
  if (!/^\d{5}(\d{4})?$/.test(zip)) w.fail(`${what} ZIP code "${a.zip}" must be 5 or 9 digits`, 'N4');
  w.seg('N4', a.city, a.state, zip);
}

/** DMG*D8: birth date and sex. */
export function dmg(w: X12Writer, birthDate: string, sex: string | undefined, what: string): void {
  w.seg('DMG', 'D8', w.date(birthDate, `${what} birth date`), sex);
}

/**
 * CAS segments for adjustments, one per group code in the order first seen, each with up to six
 * reason/amount/quantity triples (a seventh of the same group opens another CAS).
 */
export function cas(w: X12Writer, adjustments: readonly X12Adjustment[]): void {
  const groups = new Map<string, X12Adjustment[]>();
  for (const a of adjustments) {
    if (!['CO', 'PR', 'OA', 'PI', 'CR'].includes(a.group)) w.fail(`adjustment group "${a.group}" is not CO, PR, OA, PI or CR`, 'CAS');
    if (!/^[A-Z0-9]{1,5}$/.test(a.reason)) w.fail(`adjustment reason "${a.reason}" is not a CARC code`, 'CAS');
    groups.set(a.group, [...(groups.get(a.group) ?? []), a]);
  }
  for (const [group, list] of groups) {
    for (let k = 0; k < list.length; k += 6) {
      const triples = list
        .slice(k, k + 6)
        .flatMap((a) => [
          a.reason,
          w.money(a.amountCents, `${group} ${a.reason} adjustment`, true),
          a.quantity === undefined ? undefined : w.quantity(a.quantity, `${group} ${a.reason} quantity`),
        ]);
      w.seg('CAS', group, ...triples);
    }
  }
}

/** The sum of some adjustments' cents. */
export function adjustmentTotal(adjustments: readonly X12Adjustment[]): number {
  return adjustments.reduce((n, a) => n + a.amountCents, 0);
}

/** Refuses an empty required value. */
export function need(w: X12Writer, value: string | undefined, what: string): void {
  if (value === undefined || value.trim() === '') w.fail(`${what} is empty but required`);
}

/** Digits only (phone numbers, EINs). */
export function digits(value: string): string {
  return value.replace(/\D/g, '');
}
