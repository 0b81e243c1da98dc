/**
 * What Cairn reads from (and writes into) a C-CDA document: plain data, no XML. The reader
 * (read.ts) fills it from any C-CDA R1.1 or R2.1 document; the writer (write-*.ts) turns one back
 * into XML; the importer (electron/services/records) reconciles its entries against a chart.
 *
 * Dates are kept at the precision the document gave: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or an
 * ISO-8601 instant with its offset (`2012-09-12T09:30:00-05:00`). Units are UCUM as sent.
 */

/** Well-known code systems by OID (what a `codeSystem` attribute holds). */
export const OID = {
  snomed: '2.16.840.1.113883.6.96',
  icd10cm: '2.16.840.1.113883.6.90',
  icd9cm: '2.16.840.1.113883.6.103',
  loinc: '2.16.840.1.113883.6.1',
  rxnorm: '2.16.840.1.113883.6.88',
  cvx: '2.16.840.1.113883.12.292',
  cpt: '2.16.840.1.113883.6.12',
  hcpcs: '2.16.840.1.113883.6.285',
  ndc: '2.16.840.1.113883.6.69',
  unii: '2.16.840.1.113883.4.9',
  ndfrt: '2.16.840.1.113883.3.26.1.5',
  actCode: '2.16.840.1.113883.5.4',
  ucum: '2.16.840.1.113883.6.8',
  observationInterpretation: '2.16.840.1.113883.5.83',
  routeOfAdministration: '2.16.840.1.113883.3.26.1.1',
  administrativeGender: '2.16.840.1.113883.5.1',
} as const;

/** A code as the document sent it. `system` is the OID; `systemName` what the document called it, if anything. */
export interface Code {
  code: string;
  system: string;
  systemName: string | null;
  display: string | null;
}

/** A coded thing: its code (null: sent with a nullFlavor or none), the translations it carried, and its name in words. */
export interface Coded {
  code: Code | null;
  translations: Code[];
  /** The display name, else the narrative text the entry references, else the original text. */
  name: string;
}

export type DocType =
  | 'CCD'
  | 'Referral Note'
  | 'Consultation Note'
  | 'Discharge Summary'
  | 'Progress Note'
  | 'History and Physical'
  | 'Transfer Summary'
  | 'Care Plan'
  | 'Diagnostic Imaging Report'
  | 'Operative Note'
  | 'Procedure Note'
  | 'Unstructured Document'
  | 'Clinical Document';

export type AdministrativeSex = 'female' | 'male' | 'other' | 'unknown';

export interface CcdaPatient {
  /** The ids the sender knows the patient by (root OID + extension). */
  ids: { root: string; extension: string | null }[];
  given: string[];
  family: string;
  /** YYYY-MM-DD, or null when the document did not say (or said only a year). */
  birthDate: string | null;
  sex: AdministrativeSex;
  phone: string | null;
  email: string | null;
  address: { lines: string[]; city: string | null; state: string | null; postalCode: string | null; country: string | null } | null;
  race: Code | null;
  ethnicity: Code | null;
  language: string | null;
}

export interface CcdaHeader {
  docType: DocType;
  /** The document's id (root and extension joined by `^`, as Cairn keeps ids). */
  id: string | null;
  templateIds: string[];
  /** The document's LOINC type code. */
  code: Code | null;
  title: string;
  effectiveTime: string | null;
  /** The organisation that keeps the document (custodian), else the author's. */
  sourceName: string;
  /** The first author, in words (person and organisation). */
  author: string | null;
  patient: CcdaPatient | null;
}

/** The sections Cairn reads entries from. Any other section is kept as narrative only. */
export const CCDA_SECTIONS = ['problems', 'medications', 'allergies', 'immunizations', 'results', 'vitals', 'encounters', 'procedures', 'smoking'] as const;
export type CcdaSection = (typeof CCDA_SECTIONS)[number];

/** One section as the document presents it: its title, code and narrative (for the viewer). */
export interface SectionView {
  key: CcdaSection | 'other';
  title: string;
  /** The section's LOINC code. */
  code: string | null;
  /**
   * The narrative block as HTML built only from a fixed set of tags (table, thead, tbody, tr, th,
   * td, caption, ul, ol, li, p, br, span, b, i, u, sub, sup) with every text and attribute escaped:
   * safe to show without further sanitising.
   */
  narrativeHtml: string;
  /** The same narrative as plain text (for search and for a text-only view). */
  narrativeText: string;
}

export type ClinicalStatus = 'active' | 'inactive' | 'resolved' | 'completed' | 'aborted' | 'unknown';

export interface ProblemEntry extends Coded {
  onset: string | null;
  resolved: string | null;
  status: ClinicalStatus;
}

export interface Quantity {
  value: number;
  unit: string;
}

export interface MedicationEntry extends Coded {
  dose: Quantity | null;
  route: Code | null;
  /** How often, in words ("every 12 hours"), from the period, or null. */
  frequency: string | null;
  /** Free-text instructions (sig), if any. */
  instructions: string | null;
  start: string | null;
  end: string | null;
  status: ClinicalStatus;
}

export type AllergyCategory = 'drug' | 'food' | 'environment' | 'other';

export interface AllergyEntry extends Coded {
  category: AllergyCategory;
  reactions: { reaction: Coded; severity: 'mild' | 'moderate' | 'severe' | null }[];
  severity: 'mild' | 'moderate' | 'severe' | null;
  status: ClinicalStatus;
  onset: string | null;
}

export interface ImmunizationEntry extends Coded {
  date: string | null;
  /** completed, or refused (negationInd: the vaccine was not given). */
  given: boolean;
  refusalReason: string | null;
  lotNumber: string | null;
  manufacturer: string | null;
  route: Code | null;
  dose: Quantity | null;
}

export type ObservationValue = { kind: 'quantity'; value: number; unit: string } | { kind: 'coded'; code: Code } | { kind: 'text'; text: string };

/** A result (or a vital sign): LOINC code, value, interpretation, reference range, when. */
export interface ObservationEntry extends Coded {
  /** The panel (organizer) it was part of, if any. */
  panel: Coded | null;
  value: ObservationValue | null;
  /** N, H, L, HH, LL, A, AA… (HL7 ObservationInterpretation), or null. */
  interpretation: string | null;
  /** The reference range in words ("4.0–10.5 10*3/uL"), or null. */
  referenceRange: string | null;
  date: string | null;
  status: ClinicalStatus;
}

export interface EncounterEntry extends Coded {
  start: string | null;
  end: string | null;
  location: string | null;
  performer: string | null;
  /** Diagnoses recorded with the visit. */
  diagnoses: Coded[];
}

export interface ProcedureEntry extends Coded {
  date: string | null;
  status: ClinicalStatus;
  performer: string | null;
}

export interface SmokingEntry extends Coded {
  date: string | null;
}

/** An entry Cairn could not read, and why (the document's other entries still count). */
export interface Skipped {
  section: CcdaSection | 'header' | 'other';
  reason: string;
}

/** A whole document as read. */
export interface CcdaDocument {
  header: CcdaHeader;
  sections: SectionView[];
  problems: ProblemEntry[];
  medications: MedicationEntry[];
  allergies: AllergyEntry[];
  immunizations: ImmunizationEntry[];
  results: ObservationEntry[];
  vitals: ObservationEntry[];
  encounters: EncounterEntry[];
  procedures: ProcedureEntry[];
  smoking: SmokingEntry[];
  skipped: Skipped[];
}

/** Entries read per section (what `cairn import ccda` prints and what a re-import must match). */
export type SectionCounts = Record<CcdaSection, number>;

/** Counts of a document's entries, section by section. */
export function countEntries(doc: Pick<CcdaDocument, CcdaSection>): SectionCounts {
  const counts = {} as SectionCounts;
  for (const s of CCDA_SECTIONS) counts[s] = doc[s].length;
  return counts;
}

/** Why a document could not be read at all: one message a person can act on. */
export interface CcdaError {
  code: 'not_xml' | 'unsafe_xml' | 'not_cda' | 'too_large' | 'no_patient';
  message: string;
}

/**
 * What the writer needs for a CCD or a Referral Note: the document's own facts and the chart's
 * entries in the model above (so an export re-imports with the same counts).
 */
export interface CcdaExport extends Pick<CcdaDocument, CcdaSection> {
  kind: 'ccd' | 'referral';
  /** A UUID for the document id. */
  documentId: string;
  /** When the document was made (ISO instant). */
  effectiveTime: string;
  patient: CcdaPatient & { mrn: string };
  /** The clinic: custodian and author's organisation. */
  organization: { id: string; name: string; phone: string | null; address: CcdaPatient['address'] };
  /** The user exporting (author): name and NPI if they have one. */
  author: { name: string; npi: string | null };
  /** For a Referral Note: why, to whom, how urgently. */
  referral?: { reason: string; specialty: string; urgency: string; to: string; diagnoses: Coded[] };
}
