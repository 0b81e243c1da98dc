/** The document header: what kind of document, from whom, about whom. */
import { personName, readCode } from './codes';
import { dayOnly, hl7Date } from './dates';
import type { AdministrativeSex, CcdaHeader, CcdaPatient, DocType } from './model';
import { attr, child, children, path, templateIds, text } from './tree';
import type { XmlElement } from './xml';

/** Document-level templateId roots (R1.1 and R2.1 share the root; R2.1 adds extension 2015-08-01). */
const DOC_TEMPLATES: Record<string, DocType> = {
  '2.16.840.1.113883.10.20.22.1.2': 'CCD',
  '2.16.840.1.113883.10.20.1': 'CCD', // HL7 CCD R1 (2007), still in C32 exports
  '2.16.840.1.113883.3.88.11.32.1': 'CCD', // HITSP C32
  '2.16.840.1.113883.10.20.22.1.14': 'Referral Note',
  '2.16.840.1.113883.10.20.22.1.4': 'Consultation Note',
  '2.16.840.1.113883.10.20.22.1.8': 'Discharge Summary',
  '2.16.840.1.113883.10.20.22.1.9': 'Progress Note',
  '2.16.840.1.113883.10.20.22.1.3': 'History and Physical',
  '2.16.840.1.113883.10.20.22.1.13': 'Transfer Summary',
  '2.16.840.1.113883.10.20.22.1.15': 'Care Plan',
  '2.16.840.1.113883.10.20.22.1.5': 'Diagnostic Imaging Report',
  '2.16.840.1.113883.10.20.22.1.7': 'Operative Note',
  '2.16.840.1.113883.10.20.22.1.6': 'Procedure Note',
  '2.16.840.1.113883.10.20.22.1.10': 'Unstructured Document',
};

/** The document's LOINC type code, when no templateId says. */
const DOC_CODES: Record<string, DocType> = {
  '34133-9': 'CCD',
  '57133-1': 'Referral Note',
  '11488-4': 'Consultation Note',
  '18842-5': 'Discharge Summary',
  '11506-3': 'Progress Note',
  '34117-2': 'History and Physical',
  '18761-7': 'Transfer Summary',
  '52521-2': 'Care Plan',
  '18748-4': 'Diagnostic Imaging Report',
  '11504-8': 'Operative Note',
  '28570-0': 'Procedure Note',
};

/** The kind of document: a specific templateId, else the LOINC code, else an unstructured body, else 'Clinical Document'. */
export function docTypeOf(root: XmlElement): DocType {
  for (const t of templateIds(root)) {
    const d = DOC_TEMPLATES[t];
    if (d) return d;
  }
  const code = attr(child(root, 'code'), 'code');
  if (code && DOC_CODES[code]) return DOC_CODES[code];
  if (path(root, 'component', 'nonXMLBody')) return 'Unstructured Document';
  return 'Clinical Document';
}

function idString(el: XmlElement | null): string | null {
  const root = attr(el, 'root');
  if (!root) return null;
  const ext = attr(el, 'extension');
  return ext ? `${root}^${ext}` : root;
}

function orgName(org: XmlElement | null): string | null {
  const names = children(org, 'name')
    .map((n) => text(n))
    .filter((n) => n !== '');
  return names[0] ?? null;
}

/** The header; `patient` is null when the document names none (the caller refuses it). */
export function readHeader(root: XmlElement): CcdaHeader {
  const docType = docTypeOf(root);
  const custodian = orgName(path(root, 'custodian', 'assignedCustodian', 'representedCustodianOrganization'));
  const author = path(root, 'author', 'assignedAuthor');
  const authorOrg = orgName(child(author, 'representedOrganization'));
  const authorPerson = personName(path(author, 'assignedPerson', 'name'));
  const device = text(path(author, 'assignedAuthoringDevice', 'softwareName'));
  const who = authorPerson || device;
  const authorWords = who && authorOrg ? `${who} (${authorOrg})` : who || authorOrg || null;
  const title = text(child(root, 'title'));
  return {
    docType,
    id: idString(child(root, 'id')),
    templateIds: templateIds(root),
    code: readCode(child(root, 'code')),
    title: title || docType,
    effectiveTime: hl7Date(attr(child(root, 'effectiveTime'), 'value')),
    sourceName: custodian ?? authorOrg ?? 'unknown sender',
    author: authorWords,
    patient: readPatient(path(root, 'recordTarget', 'patientRole')),
  };
}

const SEX: Record<string, AdministrativeSex> = { F: 'female', M: 'male', UN: 'other', U: 'unknown', O: 'other' };

/** The patient of the first recordTarget, or null when there is no patientRole/patient. */
export function readPatient(role: XmlElement | null): CcdaPatient | null {
  const patient = child(role, 'patient');
  if (!role || !patient) return null;
  const ids: CcdaPatient['ids'] = [];
  for (const id of children(role, 'id')) {
    const r = attr(id, 'root');
    if (r) ids.push({ root: r, extension: attr(id, 'extension') });
  }
  // The legal name when several are given, else the first.
  const names = children(patient, 'name');
  const name = names.find((n) => /\bL\b/.test(attr(n, 'use') ?? '')) ?? names[0] ?? null;
  const given = children(name, 'given')
    .map((g) => text(g))
    .filter((g) => g !== '');
  const familyEls = children(name, 'family');
  const family = familyEls.length > 0 ? text(familyEls[0]) : given.length === 0 ? text(name) : '';
  const telecoms = children(role, 'telecom').map((t) => attr(t, 'value') ?? '');
  const phone = telecoms.find((v) => /^tel:/i.test(v));
  const email = telecoms.find((v) => /^mailto:/i.test(v));
  const sexCode = attr(child(patient, 'administrativeGenderCode'), 'code')?.toUpperCase();
  return {
    ids,
    given,
    family,
    birthDate: dayOnly(hl7Date(attr(child(patient, 'birthTime'), 'value'))),
    sex: (sexCode && SEX[sexCode]) || 'unknown',
    phone: phone ? phone.replace(/^tel:\s*/i, '') : null,
    email: email ? email.replace(/^mailto:\s*/i, '') : null,
    address: readAddress(child(role, 'addr')),
    race: readCode(child(patient, 'raceCode')),
    ethnicity: readCode(child(patient, 'ethnicGroupCode')),
    language: attr(path(patient, 'languageCommunication', 'languageCode'), 'code'),
  };
}

function readAddress(addr: XmlElement | null): CcdaPatient['address'] {
  if (!addr || attr(addr, 'nullFlavor')) return null;
  const part = (n: string): string | null => text(child(addr, n)) || null;
  const lines = children(addr, 'streetAddressLine')
    .map((l) => text(l))
    .filter((l) => l !== '');
  const out = { lines, city: part('city'), state: part('state'), postalCode: part('postalCode'), country: part('country') };
  return lines.length === 0 && !out.city && !out.state && !out.postalCode && !out.country ? null : out;
}
