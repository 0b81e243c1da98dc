/**
 * Synthetic patients for the benchmark. Nothing here comes from a real person: names are drawn
 * from common-name lists, phones use the 555 exchange, e-mail uses the reserved example.* domains,
 * and every record is run through the production `patientInput` schema so the benchmark writes
 * exactly what a registration form would.
 *
 * Deterministic for a given seed, so two databases built from the same seed hold the same rows
 * (the encrypted/plain comparison relies on that) and a slow query can be reproduced.
 */
import { patientInput, type PatientInput, type PatientInputRaw } from '../../shared/domain/patient';
import { AREA_CODES, LANGUAGES, PAYERS, PLACES, STREET_KINDS, STREETS } from './contacts.data';
import { FAMILY, FEMALE_GIVEN, MALE_GIVEN, NICKNAMES } from './names.data';
import { TAIL_FAMILY_END, TAIL_FAMILY_START, TAIL_GIVEN_END_F, TAIL_GIVEN_END_M, TAIL_GIVEN_START } from './rare-names.data';
import { createRng, weightedPicker } from './rng';

// Where the benchmark's other groups have always taken their randomness from.
export { createRng, type Rng } from './rng';

/** ASCII for e-mail local parts: strip combining marks, then anything else outside [a-z0-9]. */
function asciiFold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export interface GeneratorOptions {
  /** Share of patients arriving with an MRN from a previous system; the rest get an auto-assigned one. */
  suppliedMrnRate?: number;
}

export interface PatientGenerator {
  readonly seed: number;
  /** The next synthetic patient, already parsed by the production `patientInput` schema. */
  next(): PatientInput;
  /** `count` more patients. */
  take(count: number): PatientInput[];
}

/**
 * A stream of synthetic patients. Supplied MRNs are unique within one stream and never purely
 * numeric, so they cannot collide with the numeric MRNs the repo assigns itself.
 */
export function createPatientGenerator(seed: number, opts: GeneratorOptions = {}): PatientGenerator {
  const rng = createRng(seed);
  const common = {
    female: weightedPicker(FEMALE_GIVEN, 10),
    male: weightedPicker(MALE_GIVEN, 10),
    family: weightedPicker(FAMILY, 15),
  };
  const familyName = (): string =>
    // About a third of people carry one of the listed common surnames (in the US the top 1,000 cover ~40 %).
    rng.chance(0.35) ? common.family(rng) : `${rng.pick(TAIL_FAMILY_START)}${rng.pick(TAIL_FAMILY_END)}`;
  const givenName = (female: boolean): string =>
    rng.chance(0.55) ? (female ? common.female : common.male)(rng) : `${rng.pick(TAIL_GIVEN_START)}${rng.pick(female ? TAIL_GIVEN_END_F : TAIL_GIVEN_END_M)}`;
  const suppliedRate = opts.suppliedMrnRate ?? 0.08;
  const usedMrns = new Set<string>();

  const legacyMrn = (): string => {
    for (;;) {
      // Two shapes a previous system might have used: a letter prefix, or a dashed site code.
      const mrn = rng.chance(0.6) ? `K${pad(rng.int(0, 9_999_999), 7)}` : `OLD-${pad(rng.int(0, 999_999), 6)}`;
      if (!usedMrns.has(mrn)) {
        usedMrns.add(mrn);
        return mrn;
      }
    }
  };

  const phone = (): string => {
    const area = rng.pick(AREA_CODES);
    const line = pad(rng.int(0, 9999), 4);
    // Typed in several common styles; the repo keeps digits separately for search.
    switch (rng.int(0, 3)) {
      case 0:
        return `(${area}) 555-${line}`;
      case 1:
        return `${area}-555-${line}`;
      case 2:
        return `${area}.555.${line}`;
      default:
        return `+1 ${area} 555 ${line}`;
    }
  };

  const birthDate = (): string => {
    const year = rng.int(1930, 2025);
    const month = rng.int(1, 12);
    const day = rng.int(1, daysInMonth(year, month));
    return `${year}-${pad(month, 2)}-${pad(day, 2)}`;
  };

  const next = (): PatientInput => {
    const sexDraw = rng.next();
    const sex = sexDraw < 0.495 ? 'female' : sexDraw < 0.99 ? 'male' : sexDraw < 0.995 ? 'other' : 'unknown';
    const female = sex === 'female' || (sex !== 'male' && rng.chance(0.5));
    const given = givenName(female);
    const family = familyName();
    const place = rng.pick(PLACES);
    const raw: PatientInputRaw = {
      givenName: given,
      familyName: family,
      birthDate: birthDate(),
      sex,
    };
    if (rng.chance(0.4)) raw.middleName = givenName(female);
    if (rng.chance(0.05)) raw.preferredName = rng.pick(NICKNAMES);
    if (sex === 'other' && rng.chance(0.5)) raw.genderIdentity = 'non-binary';
    if (rng.chance(0.85)) raw.phone = phone();
    if (rng.chance(0.5))
      raw.email = `${asciiFold(given) || 'patient'}.${asciiFold(family) || 'x'}${rng.int(1, 999)}@${rng.pick(['example.com', 'example.org', 'example.net'])}`;
    if (rng.chance(0.9)) {
      raw.address = {
        line1: `${rng.int(1, 9999)} ${rng.pick(STREETS)} ${rng.pick(STREET_KINDS)}`,
        line2: rng.chance(0.15) ? `Apt ${rng.int(1, 40)}${rng.pick(['', 'A', 'B'])}` : undefined,
        city: place[0],
        state: place[1],
        postalCode: `${place[2]}${pad(rng.int(0, 99), 2)}`,
        country: 'US',
      };
    }
    if (rng.chance(suppliedRate)) raw.mrn = legacyMrn();
    if (rng.chance(0.1)) raw.identifiers = [{ system: 'urn:example:drivers-license', value: `D${pad(rng.int(0, 9_999_999), 7)}`, type: 'DL' }];
    if (rng.chance(0.7)) raw.preferredLanguage = rng.pick(LANGUAGES);
    if (rng.chance(0.75)) {
      raw.insurance = {
        payer: rng.pick(PAYERS),
        memberId: `M${pad(rng.int(0, 99_999_999), 8)}`,
        groupNumber: rng.chance(0.6) ? `G${pad(rng.int(0, 99_999), 5)}` : undefined,
      };
    }
    // Important: parse through the production schema so defaults and normalisation match real input.
    return patientInput.parse(raw);
  };

  return {
    seed,
    next,
    take: (count) => Array.from({ length: count }, next),
  };
}
