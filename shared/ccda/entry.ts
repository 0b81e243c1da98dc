/** What the per-kind entry readers share: their signature, and status words from status observations. */
import type { ReadContext } from './codes';
import type { ClinicalStatus } from './model';
import { attr, child, children, hasTemplate } from './tree';
import type { XmlElement } from './xml';

/** Where an entry reader puts what it read, and what it could not. */
export interface EntryOut<T> {
  add(item: T): void;
  skip(reason: string): void;
}

/** Reads one clinical statement (the element inside `<entry>`) of a section. May add several items (a concern with two problems). */
export type EntryReader<T> = (statement: XmlElement, ctx: ReadContext, out: EntryOut<T>) => void;

/** Template roots as a set (R1.1 and R2.1 share the root). */
export const roots = (...ids: string[]): ReadonlySet<string> => new Set(ids);

/** SNOMED status values of the problem/allergy status observations. */
const STATUS_VALUES: Record<string, ClinicalStatus> = {
  '55561003': 'active',
  '73425007': 'inactive',
  '413322009': 'resolved',
  '7087005': 'inactive', // intermittent
  '255227004': 'active', // recurrent
  '277022003': 'resolved', // remission
};
const STATUS_OBS = roots('2.16.840.1.113883.10.20.22.4.6', '2.16.840.1.113883.10.20.22.4.28', '2.16.840.1.113883.10.20.1.50', '2.16.840.1.113883.10.20.1.39');

/** The status a nested status observation gives (code 33999-4 or a status template), or null. */
export function statusObservation(obs: XmlElement): ClinicalStatus | null {
  for (const rel of children(obs, 'entryRelationship')) {
    const o = child(rel, 'observation');
    if (!o) continue;
    if (!hasTemplate(o, STATUS_OBS) && attr(child(o, 'code'), 'code') !== '33999-4') continue;
    const value = child(o, 'value');
    const code = attr(value, 'code');
    if (code && STATUS_VALUES[code]) return STATUS_VALUES[code];
    const words = (attr(value, 'displayName') ?? '').toLowerCase();
    if (words.includes('resolved')) return 'resolved';
    if (words.includes('inactive')) return 'inactive';
    if (words.includes('active')) return 'active';
  }
  return null;
}

/** True when the statement says the thing did not happen or is absent (negationInd="true"). */
export function negated(el: XmlElement): boolean {
  return attr(el, 'negationInd')?.toLowerCase() === 'true';
}

/** The statements inside an element's entryRelationships, optionally of one typeCode (SUBJ, MFST, RSON…). */
export function related(el: XmlElement, typeCode?: string, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const rel of children(el, 'entryRelationship')) {
    if (typeCode && attr(rel, 'typeCode') !== typeCode) continue;
    for (const c of children(rel)) if ((name ? c.name === name : c.name !== 'templateId') && c.name !== 'sequenceNumber') out.push(c);
  }
  return out;
}

/** Observations that qualify another (status, severity, age at onset, health status), never entries themselves. */
const AUXILIARY_CODES = new Set(['33999-4', 'SEV', '445518008', '11323-3', '66455-7']);
export function isAuxiliary(obs: XmlElement): boolean {
  return AUXILIARY_CODES.has(attr(child(obs, 'code'), 'code') ?? '') || hasTemplate(obs, AUXILIARY_TEMPLATES);
}
const AUXILIARY_TEMPLATES = roots(
  '2.16.840.1.113883.10.20.22.4.6',
  '2.16.840.1.113883.10.20.22.4.28',
  '2.16.840.1.113883.10.20.22.4.8',
  '2.16.840.1.113883.10.20.22.4.31',
  '2.16.840.1.113883.10.20.22.4.5',
  '2.16.840.1.113883.10.20.1.50',
  '2.16.840.1.113883.10.20.1.39',
  '2.16.840.1.113883.10.20.1.55',
);
