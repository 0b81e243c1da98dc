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

/** A small seeded PRNG (mulberry32): fast, 2^32 period, plenty for 10^5 records; not for crypto. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (list) => at(list, Math.floor(next() * list.length)),
  };
}

function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`index ${i} outside a list of ${list.length}`);
  return v;
}

/**
 * Picks from a list ordered by how common each name is, with weight 1/(rank + flatten). The name
 * frequency model decides how many charts a 3-letter prefix matches, which is what name-search
 * latency depends on, so it is tuned to real US figures: the most common surname about 1 % of
 * people (Smith is 0.8 %), the most common given name about 3 %.
 */
function weightedPicker<T>(list: readonly T[], flatten: number): (rng: Rng) => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 0; k < list.length; k++) cumulative.push((sum += 1 / (k + flatten)));
  return (rng) => {
    const x = rng.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return at(list, lo);
  };
}

// Lists include diacritics (FTS folds them: "nunez" must find Núñez), hyphens and apostrophes
// (the tokenizer splits on them) and multi-word surnames, because those are where search breaks.
const FEMALE_GIVEN = [
  'Mary',
  'Maria',
  'Jennifer',
  'Linda',
  'Patricia',
  'Elizabeth',
  'Susan',
  'Jessica',
  'Sarah',
  'Karen',
  'Nancy',
  'Lisa',
  'Emily',
  'Ashley',
  'Michelle',
  'Emma',
  'Olivia',
  'Sophia',
  'Isabella',
  'Ava',
  'Ana',
  'Carmen',
  'Rosa',
  'Guadalupe',
  'Fatima',
  'Aisha',
  'Priya',
  'Mei',
  'Yuki',
  'Ngozi',
  'Zoë',
  'Chloé',
  'Renée',
  'Inés',
  'Björk',
  'Siobhán',
  'Małgorzata',
  'Léa',
  'Noémie',
  'Åsa',
  'Anne-Marie',
  'Mary-Kate',
  'Ana-Lucía',
  "D'Asia",
  'Thuy',
  'Hana',
  'Amara',
  'Leilani',
  'Dolores',
  'Ximena',
];
const MALE_GIVEN = [
  'James',
  'John',
  'Robert',
  'Michael',
  'William',
  'David',
  'Richard',
  'Joseph',
  'Thomas',
  'Charles',
  'Daniel',
  'Matthew',
  'Anthony',
  'Mark',
  'Steven',
  'Liam',
  'Noah',
  'Ethan',
  'Lucas',
  'Mason',
  'Juan',
  'Carlos',
  'Luis',
  'Miguel',
  'Muhammad',
  'Ahmed',
  'Wei',
  'Hiroshi',
  'Arjun',
  'Oluwaseun',
  'José',
  'Jesús',
  'Ángel',
  'Søren',
  'François',
  'Jürgen',
  'Łukasz',
  'Seán',
  'Björn',
  'Zoltán',
  'Jean-Luc',
  'Jean-Pierre',
  'José-María',
  "D'Andre",
  "De'Shawn",
  'Minh',
  'Kwame',
  'Tomás',
  'Raúl',
  'Nikolai',
];
const NICKNAMES = ['Beth', 'Liz', 'Bill', 'Bob', 'Kate', 'Joe', 'Pepe', 'Lupe', 'Mike', 'Sam', 'Alex', 'Chuy', 'Toni', 'Danny'];
const FAMILY = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Patel',
  'Khan',
  'Singh',
  'Kim',
  'Park',
  'Chen',
  'Wang',
  'Li',
  'Zhang',
  'Tanaka',
  'Sato',
  'Okafor',
  'Adeyemi',
  'Mensah',
  'Cohen',
  'Levi',
  'Rossi',
  'Russo',
  'Esposito',
  'Silva',
  'Santos',
  'Oliveira',
  'Costa',
  'Ahmed',
  'Ali',
  'Hassan',
  'Murphy',
  'Kelly',
  'Sullivan',
  'Walsh',
  'Núñez',
  'Peña',
  'Muñoz',
  'Ibáñez',
  'Gómez',
  'Álvarez',
  'Björk',
  'Müller',
  'Schröder',
  'Dvořák',
  'Nguyễn',
  'Lefèvre',
  'Østergaard',
  'Søndergaard',
  'Wójcik',
  'Kowalczyk',
  'Jiménez',
  'Gutiérrez',
  'Ramírez',
  'Çelik',
  "O'Brien",
  "O'Connor",
  "O'Neill",
  "D'Angelo",
  "N'Diaye",
  "D'Souza",
  'McDonald',
  'MacLeod',
  'St. John',
  'Fitzgerald',
  'Smith-Jones',
  'García-López',
  'Pérez-Ortiz',
  'Lloyd-Evans',
  'Abdul-Jabbar',
  'van der Berg',
  'de la Cruz',
  'Da Silva',
  'Van Buren',
  'Le',
];
/**
 * The long tail: most people do not carry one of the few hundred most common names, and a
 * benchmark drawing only from a short list would make every prefix match far too many charts.
 * These parts combine into ~2,000 rare surnames and ~500 rare given names.
 */
const TAIL_FAMILY_START = [
  'Ash',
  'Bal',
  'Bell',
  'Brad',
  'Brook',
  'Cald',
  'Card',
  'Dal',
  'Dun',
  'Ell',
  'Fair',
  'Fen',
  'Gal',
  'Gold',
  'Hal',
  'Hart',
  'Hol',
  'Ing',
  'Kal',
  'Kirk',
  'Kov',
  'Lang',
  'Lind',
  'Lor',
  'Mad',
  'Mor',
  'Nad',
  'Nor',
  'Oak',
  'Ost',
  'Pem',
  'Petr',
  'Quin',
  'Rad',
  'Ren',
  'Ros',
  'Sal',
  'Sted',
  'Stan',
  'Tal',
  'Thorn',
  'Tor',
  'Ulm',
  'Vand',
  'Vel',
  'Wal',
  'Wes',
  'Win',
  'Yar',
  'Zel',
  'Bor',
  'Chal',
  'Dov',
  'Esk',
  'Fitch',
  'Grun',
  'Hux',
  'Jar',
  'Kess',
  'Lev',
  'Aber',
  'Bux',
  'Crom',
  'Dra',
  'Emb',
  'Frem',
  'Glad',
  'Hask',
  'Ives',
  'Jost',
  'Kemb',
  'Lusk',
  'Mund',
  'Nyg',
  'Orm',
  'Pry',
  'Rusk',
  'Sund',
  'Tuck',
  'Ving',
];
const TAIL_FAMILY_END = [
  'ley',
  'ton',
  'man',
  'wood',
  'ford',
  'berg',
  'son',
  'sen',
  'ski',
  'ova',
  'ini',
  'ez',
  'ard',
  'well',
  'field',
  'stein',
  'er',
  'ow',
  'ic',
  'ak',
  'enko',
  'ani',
  'ström',
  'ović',
];
const TAIL_GIVEN_START = [
  'Al',
  'Bri',
  'Cal',
  'Dar',
  'El',
  'Fen',
  'Jal',
  'Kae',
  'Lor',
  'Mil',
  'Nor',
  'Ori',
  'Per',
  'Ros',
  'Sel',
  'Tam',
  'Vin',
  'Wyn',
  'Yas',
  'Zan',
  'Ade',
  'Ik',
  'Ol',
  'Ha',
  'Ke',
  'Sa',
  'Ti',
  'Ra',
  'Ja',
  'Lu',
  'Ev',
  'Ul',
  'Ny',
  'Quo',
  'Gi',
];
const TAIL_GIVEN_END_F = ['a', 'ina', 'elle', 'ia', 'ara', 'ette', 'ine', 'lyn', 'isha', 'ey', 'ée', 'anna', 'ora', 'ije'];
const TAIL_GIVEN_END_M = ['o', 'an', 'en', 'ar', 'ius', 'el', 'on', 'ric', 'is', 'im', 'ander', 'ek', 'ú', 'ayo'];

const AREA_CODES = [
  '201',
  '212',
  '213',
  '206',
  '215',
  '303',
  '305',
  '312',
  '313',
  '404',
  '415',
  '503',
  '504',
  '505',
  '512',
  '602',
  '612',
  '614',
  '617',
  '702',
  '713',
  '718',
  '720',
  '773',
  '786',
  '801',
  '808',
  '907',
  '916',
  '919',
];
const PLACES: readonly (readonly [string, string, string])[] = [
  ['Boston', 'MA', '021'],
  ['Springfield', 'IL', '627'],
  ['Portland', 'OR', '972'],
  ['Albuquerque', 'NM', '871'],
  ['San José', 'CA', '951'],
  ['El Paso', 'TX', '799'],
  ['Miami', 'FL', '331'],
  ['Detroit', 'MI', '482'],
  ['Honolulu', 'HI', '968'],
  ['Anchorage', 'AK', '995'],
  ['Raleigh', 'NC', '276'],
  ['Coeur d’Alene', 'ID', '838'],
];
const STREETS = ['Main', 'Oak', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Sunset', 'Río Grande', 'Peachtree'];
const STREET_KINDS = ['St', 'Ave', 'Rd', 'Blvd', 'Ln', 'Dr', 'Way', 'Ct'];
const PAYERS = ['Example Health Plan', 'Sample Mutual', 'Demo Medicaid', 'Placeholder Medicare Advantage', 'Fictive Care PPO'];
const LANGUAGES = ['en', 'en', 'en', 'en', 'en', 'en', 'es', 'es', 'vi', 'zh', 'ar', 'pt', 'fr', 'pl', 'tl'];

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
