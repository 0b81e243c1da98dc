import { field, get, type Hl7Message, segment } from '../hl7';
import { hl7DateToIso } from './lab-results';
import type { AdministrativeSex } from './patient';

/**
 * Who an HL7 v2 message is about (its PID), pure. Used to match a message to a chart and, for
 * ADT, as the demographics to register or update.
 */

/** One PID-3 identifier with its assigning authority (HD: namespace, universal id, its type). */
export interface Hl7Identifier {
  value: string;
  /** PID-3.5, e.g. MR, PI, SS. */
  typeCode: string;
  namespace: string;
  universalId: string;
}

/** Demographics as flat keys, so that a field can be compared and reviewed on its own. */
export interface Hl7Demographics {
  familyName: string;
  givenName: string;
  middleName: string;
  birthDate: string;
  sex: AdministrativeSex | '';
  phone: string;
  'address.line1': string;
  'address.city': string;
  'address.state': string;
  'address.postalCode': string;
  'address.country': string;
}

export type DemographicKey = keyof Hl7Demographics;
export const DEMOGRAPHIC_KEYS: readonly DemographicKey[] = [
  'familyName',
  'givenName',
  'middleName',
  'birthDate',
  'sex',
  'phone',
  'address.line1',
  'address.city',
  'address.state',
  'address.postalCode',
  'address.country',
];

export interface Hl7PatientFacts {
  identifiers: Hl7Identifier[];
  demographics: Hl7Demographics;
}

const SEX: Record<string, AdministrativeSex> = { F: 'female', M: 'male', O: 'other', A: 'other', N: 'other', U: 'unknown' };

/** The identifier system Cairn records for an assigning authority: its namespace, else its universal id. */
export function identifierSystem(id: Pick<Hl7Identifier, 'namespace' | 'universalId'>): string {
  return id.namespace || id.universalId;
}

/** The names by which a stored identifier system may refer to this authority. */
export function systemAliases(id: Pick<Hl7Identifier, 'namespace' | 'universalId'>): string[] {
  return [id.namespace, id.universalId, id.universalId && `urn:oid:${id.universalId}`].filter((s) => s !== '');
}

/** The PID of `message` as identifiers and demographics; null when there is no PID. */
export function readPatientFacts(message: Hl7Message): Hl7PatientFacts | null {
  const pid = segment(message, 'PID');
  if (!pid) return null;
  const identifiers = field(pid, 3)
    .map((rep) => ({ value: rep[0]?.[0] ?? '', typeCode: rep[4]?.[0] ?? '', namespace: rep[3]?.[0] ?? '', universalId: rep[3]?.[1] ?? '' }))
    .filter((i) => i.value.trim() !== '');
  // SAD street address: its subcomponents (number, street) read as one line.
  const street = (field(pid, 11)[0]?.[0] ?? []).filter((s) => s !== '').join(' ');
  return {
    identifiers,
    demographics: {
      familyName: get(pid, '5.1').trim(),
      givenName: get(pid, '5.2').trim(),
      middleName: get(pid, '5.3').trim(),
      birthDate: hl7DateToIso(get(pid, '7')) ?? '',
      sex: SEX[get(pid, '8')] ?? '',
      phone: get(pid, '13.1').trim(),
      'address.line1': street.trim(),
      'address.city': get(pid, '11.3').trim(),
      'address.state': get(pid, '11.4').trim(),
      'address.postalCode': get(pid, '11.5').trim(),
      'address.country': get(pid, '11.6').trim(),
    },
  };
}

/** A name compared without case, accents or extra spaces ("José " = "jose"). */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}
