/**
 * The US Realm Header of a C-CDA R2.1 document: who the patient is (recordTarget), who wrote it
 * (author), who keeps it (custodian), to whom a referral goes (informationRecipient) and what time
 * the summary covers (documentationOf/serviceEvent, CCD only).
 */
import type { CcdaExport, CcdaPatient, Code } from './model';
import { all, attr, codeAttrs, el, hl7Ts, text, ts } from './write-xml';

const NPI_ROOT = '2.16.840.1.113883.4.6';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OID_RE = /^[0-2](\.(0|[1-9][0-9]*))*$/;

/**
 * The root for ids the clinic assigns (its MRN space, its own id): the organisation's id when it is
 * a UUID; otherwise a UUID derived from it (FNV-1a, version 8 "custom"), so the same clinic always
 * gets the same root and two clinics different ones.
 */
export function clinicRoot(orgId: string): string {
  return UUID_RE.test(orgId) ? orgId.toLowerCase() : stableUuid(orgId);
}

/** A UUID (version 8, "custom") derived from any string: the same string always gives the same UUID. */
export function stableUuid(seedText: string): string {
  const orgId = seedText;
  let hex = '';
  // Four 32-bit FNV-1a hashes with different seeds make 128 bits; enough to tell clinics apart.
  for (let seed = 0; seed < 4; seed++) {
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; i < orgId.length; i++) h = Math.imul(h ^ orgId.charCodeAt(i), 0x01000193);
    hex += (h >>> 0).toString(16).padStart(8, '0');
  }
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An II from a model id: kept when its root is an OID or UUID the schema accepts, else null (left out). */
function iiOf(id: { root: string; extension: string | null }): string | null {
  const root = id.root.trim();
  if (!OID_RE.test(root) && !UUID_RE.test(root)) return null;
  return el('id', { root, extension: id.extension });
}

type Address = CcdaPatient['address'];

/** `<addr>`, or `<addr nullFlavor="UNK"/>` (the header requires one). */
export function addr(a: Address, use: 'HP' | 'WP'): string {
  if (!a) return el('addr', { nullFlavor: 'UNK' });
  const part = (tag: string, v: string | null): string | null => (v ? el(tag, null, text(v)) : null);
  return el(
    'addr',
    { use },
    all(a.lines.map((l) => part('streetAddressLine', l))),
    part('city', a.city),
    part('state', a.state),
    part('postalCode', a.postalCode),
    part('country', a.country),
  );
}

/** Telecoms as URIs (`tel:`, `mailto:`), or one `<telecom nullFlavor="UNK"/>` (the header requires one). */
export function telecoms(phone: string | null, email: string | null, use: 'HP' | 'WP'): string {
  const out: string[] = [];
  // A tel: URI allows digits, "+" and visual separators only (RFC 3966); spaces and letters are dropped.
  const digits = phone?.replace(/[^0-9+\-().]/g, '') ?? '';
  if (/[0-9]/.test(digits)) out.push(el('telecom', { use, value: 'tel:' + digits }));
  const mail = email?.trim() ?? '';
  if (mail) out.push(el('telecom', { use, value: 'mailto:' + mail.replace(/\s/g, '') }));
  return out.length > 0 ? out.join('') : el('telecom', { nullFlavor: 'UNK' });
}

/** A person's name from one string: "Family, Given Middle" or "Given Middle Family". */
export function personName(full: string): string {
  const s = full.trim();
  if (!s) return el('name', { nullFlavor: 'UNK' });
  let given: string[];
  let family: string;
  const comma = s.indexOf(',');
  if (comma > 0) {
    family = s.slice(0, comma).trim();
    given = s
      .slice(comma + 1)
      .trim()
      .split(/\s+/)
      .filter(Boolean);
  } else {
    const words = s.split(/\s+/);
    family = words.pop()!;
    given = words;
  }
  return el('name', null, all(given.map((g) => el('given', null, text(g)))), el('family', null, text(family)));
}

const GENDER: Record<CcdaPatient['sex'], Code | null> = {
  female: { code: 'F', system: '2.16.840.1.113883.5.1', systemName: 'AdministrativeGender', display: 'Female' },
  male: { code: 'M', system: '2.16.840.1.113883.5.1', systemName: 'AdministrativeGender', display: 'Male' },
  other: { code: 'UN', system: '2.16.840.1.113883.5.1', systemName: 'AdministrativeGender', display: 'Undifferentiated' },
  unknown: null,
};

function codeOrNull(tag: string, c: Code | null): string {
  return c ? el(tag, codeAttrs(c)) : el(tag, { nullFlavor: 'UNK' });
}

function recordTarget(x: CcdaExport): string {
  const p = x.patient;
  const root = clinicRoot(x.organization.id);
  const otherIds = p.ids.filter((i) => !(i.root === root && i.extension === p.mrn)).map(iiOf);
  const patient = el(
    'patient',
    null,
    el('name', { use: 'L' }, all(p.given.map((g) => el('given', null, text(g)))), el('family', null, text(p.family))),
    codeOrNull('administrativeGenderCode', GENDER[p.sex]),
    ts('birthTime', p.birthDate),
    codeOrNull('raceCode', p.race),
    codeOrNull('ethnicGroupCode', p.ethnicity),
    p.language ? el('languageCommunication', null, el('languageCode', { code: p.language })) : null,
  );
  return el(
    'recordTarget',
    null,
    el('patientRole', null, el('id', { root, extension: p.mrn }), all(otherIds), addr(p.address, 'HP'), telecoms(p.phone, p.email, 'HP'), patient),
  );
}

function organization(tag: string, x: CcdaExport): string {
  const o = x.organization;
  return el(tag, null, el('id', { root: clinicRoot(o.id) }), el('name', null, text(o.name)), telecoms(o.phone, null, 'WP'), addr(o.address, 'WP'));
}

function author(x: CcdaExport): string {
  const npi = x.author.npi?.trim();
  return el(
    'author',
    null,
    ts('time', x.effectiveTime),
    el(
      'assignedAuthor',
      null,
      npi ? el('id', { root: NPI_ROOT, extension: npi }) : el('id', { nullFlavor: 'NI' }),
      addr(x.organization.address, 'WP'),
      telecoms(x.organization.phone, null, 'WP'),
      el('assignedPerson', null, personName(x.author.name)),
      organization('representedOrganization', x),
    ),
  );
}

function custodian(x: CcdaExport): string {
  return el('custodian', null, el('assignedCustodian', null, organization('representedCustodianOrganization', x)));
}

function informationRecipient(x: CcdaExport): string | null {
  const to = x.referral?.to.trim();
  if (!to) return null;
  return el('informationRecipient', null, el('intendedRecipient', null, el('informationRecipient', null, personName(to))));
}

/** Every date an entry carries, for the span the summary covers. */
function earliestDate(x: CcdaExport): string | null {
  let best: string | null = null;
  let bestTs = '';
  const see = (d: string | null | undefined): void => {
    const v = hl7Ts(d);
    if (v && (best === null || v.slice(0, 8) < bestTs.slice(0, 8))) {
      best = d!;
      bestTs = v;
    }
  };
  for (const p of x.problems) see(p.onset);
  for (const m of x.medications) see(m.start);
  for (const a of x.allergies) see(a.onset);
  for (const i of x.immunizations) see(i.date);
  for (const r of x.results) see(r.date);
  for (const v of x.vitals) see(v.date);
  for (const e of x.encounters) see(e.start);
  for (const p of x.procedures) see(p.date);
  return best;
}

function documentationOf(x: CcdaExport): string | null {
  if (x.kind !== 'ccd') return null;
  const low = earliestDate(x) ?? x.patient.birthDate;
  return el('documentationOf', null, el('serviceEvent', { classCode: 'PCPR' }, el('effectiveTime', null, ts('low', low), ts('high', x.effectiveTime))));
}

const DOC = {
  ccd: { template: '2.16.840.1.113883.10.20.22.1.2', code: '34133-9', display: 'Summarization of Episode Note', title: 'Continuity of Care Document' },
  referral: { template: '2.16.840.1.113883.10.20.22.1.14', code: '57133-1', display: 'Referral note', title: 'Referral Note' },
} as const;

/** Everything of `<ClinicalDocument>` before its `<component><structuredBody>`. */
export function header(x: CcdaExport): string {
  const d = DOC[x.kind];
  const docId = attr(x.documentId);
  return (
    '<realmCode code="US"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>' +
    '<templateId root="2.16.840.1.113883.10.20.22.1.1"/><templateId root="2.16.840.1.113883.10.20.22.1.1" extension="2015-08-01"/>' +
    el('templateId', { root: d.template }) +
    el('templateId', { root: d.template, extension: '2015-08-01' }) +
    `<id root="${docId}"/>` +
    el('code', { code: d.code, codeSystem: '2.16.840.1.113883.6.1', codeSystemName: 'LOINC', displayName: d.display }) +
    el('title', null, text(d.title)) +
    ts('effectiveTime', x.effectiveTime) +
    '<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/><languageCode code="en-US"/>' +
    `<setId root="${docId}"/><versionNumber value="1"/>` +
    recordTarget(x) +
    author(x) +
    custodian(x) +
    (informationRecipient(x) ?? '') +
    (documentationOf(x) ?? '')
  );
}
