import type {
  AllergyIntolerance,
  CarePlan,
  CodeableConcept,
  Coding,
  Condition,
  DiagnosticReport,
  Encounter,
  Immunization,
  MedicationRequest,
  Observation,
  Patient,
  Procedure,
  Quantity,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { isIsoDate } from '../domain/dates';
import { toUcum, VITAL_KINDS, type VitalKind } from '../domain/vitals';
import type { ImportIssue, SourceEntry, SourceKey } from './bundle';

/**
 * FHIR R4 → Cairn: pure mappers from one resource to the rows it becomes. Ids are not made here:
 * a row names the resources it points at by source key (`{ ref }`) and the importer turns those
 * into the Cairn ids it assigned (or found from an earlier import).
 */

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  ucum: 'http://unitsofmeasure.org',
} as const;

/** The Cairn records an import writes (the synced entity names). */
export type ImportEntity =
  'patient' | 'encounter' | 'observation' | 'condition' | 'allergy' | 'medication_event' | 'immunization' | 'procedure' | 'diagnostic_report' | 'care_plan';

/** A column value: plain, or a reference to one (`ref`) or several (`refs`, stored as a JSON array) imported resources. */
export type Cell = string | number | null | { ref: SourceKey } | { refs: SourceKey[] };

/** One row a resource becomes. `key` tells apart several rows of one resource (blood pressure components, a course's start and stop). */
export interface Draft {
  entity: ImportEntity;
  table: string;
  key: string;
  row: Record<string, Cell>;
  /** Vital signs taken together (same encounter, same time) share a set id. */
  vitalSet?: string;
  /** Medication events of one request share a course id. */
  course?: boolean;
}

export interface MapContext {
  /** SNOMED CT → ICD-10-CM (resources/codesets/snomed-icd10-synthea.tsv). */
  snomedToIcd10: ReadonlyMap<string, string>;
  /** The import's time: used where the source leaves a required time out. */
  importedAt: string;
  resolve: (reference: string | undefined) => SourceKey | null;
}

export type MapOutcome = { kind: 'rows'; drafts: Draft[]; notes: string[] } | { kind: 'skipped'; reason: string } | { kind: 'error'; issues: ImportIssue[] };

/** Resource types not imported, with the reason the summary gives. */
export const SKIP_REASONS: Record<string, string> = {
  Claim: 'billing data is not imported',
  ExplanationOfBenefit: 'billing data is not imported',
  Coverage: 'billing data is not imported',
  Organization: 'directory data (organizations) is not imported',
  Practitioner: 'directory data (practitioners) is not imported',
  PractitionerRole: 'directory data (practitioners) is not imported',
  Location: 'directory data (locations) is not imported',
  Provenance: 'provenance is not imported',
  Goal: 'goals are not imported yet',
  ImagingStudy: 'imaging studies are not imported yet',
  Device: 'devices are not imported yet',
  SupplyDelivery: 'supply deliveries are not imported',
  MedicationAdministration: 'medication administrations are not imported yet',
  Medication: 'used only through a MedicationRequest',
  DocumentReference: 'documents are not imported yet',
};

/** The order resources are applied in, so references point back at rows already written. */
export const APPLY_ORDER = [
  'Patient',
  'Encounter',
  'Condition',
  'AllergyIntolerance',
  'Observation',
  'DiagnosticReport',
  'MedicationRequest',
  'Immunization',
  'Procedure',
  'CarePlan',
];

class Issues {
  readonly list: ImportIssue[] = [];
  constructor(private readonly entry: SourceEntry) {}
  add(path: string, message: string): void {
    this.list.push({
      index: this.entry.index,
      path: `entry[${this.entry.index}].resource${path === '' ? '' : `.${path}`}`,
      resourceType: this.entry.resource.resourceType,
      message,
    });
  }
}

// ---------------------------------------------------------------- small readers

function coding(cc: CodeableConcept | undefined, system?: string): Coding | undefined {
  const codings = cc?.coding ?? [];
  return system ? codings.find((c) => c.system === system) : codings[0];
}

function textOf(cc: CodeableConcept | undefined): string | null {
  return cc?.text ?? cc?.coding?.find((c) => c.display)?.display ?? cc?.coding?.[0]?.code ?? null;
}

/**
 * A FHIR date or dateTime as Cairn stores it: a date stays YYYY-MM-DD; a dateTime with a time
 * becomes UTC ISO-8601 with milliseconds. Null when absent; undefined when not a valid value.
 */
export function instant(v: string | undefined): string | null | undefined {
  if (v === undefined) return null;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) return v.length === 10 && !isIsoDate(v) ? undefined : v;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function dateOnly(v: string | null): string | null {
  return v === null ? null : v.slice(0, 10);
}

/** Reads an optional date/dateTime field, reporting a malformed one. */
function when(issues: Issues, path: string, v: string | undefined): string | null {
  const t = instant(v);
  if (t === undefined) {
    issues.add(path, `"${String(v)}" is not a FHIR date or dateTime`);
    return null;
  }
  return t;
}

function ref(ctx: MapContext, r: Reference | undefined): Cell {
  const key = ctx.resolve(r?.reference);
  return key ? { ref: key } : null;
}

function annotationText(notes: { text?: string }[] | undefined): string | null {
  const t = (notes ?? []).map((n) => n.text?.trim()).filter((s): s is string => !!s);
  return t.length ? t.join('\n') : null;
}

// ---------------------------------------------------------------- Patient

/** The identifier system Cairn exports its MRNs under (see to-fhir.ts). */
export const CAIRN_MRN_SYSTEM = 'urn:cairn:mrn';

const ADMIN_SEX = new Set(['female', 'male', 'other', 'unknown']);

function mapPatient(p: Patient, issues: Issues): Draft[] {
  const names = p.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names.find((n) => n.use !== 'nickname' && n.use !== 'old') ?? names[0];
  const i = names.indexOf(name!);
  const given = name?.given ?? [];
  if (!name?.family?.trim()) issues.add(`name[${Math.max(i, 0)}].family`, 'the patient has no family name');
  if (!given[0]?.trim()) issues.add(`name[${Math.max(i, 0)}].given`, 'the patient has no given name');
  const nickname = names.find((n) => n !== name && (n.use === 'nickname' || n.use === 'usual'))?.given?.[0] ?? null;
  if (!p.birthDate) issues.add('birthDate', 'the patient has no birth date');
  else if (!isIsoDate(p.birthDate)) issues.add('birthDate', `birth date "${p.birthDate}" is not a full calendar date (YYYY-MM-DD)`);
  if (p.gender !== undefined && !ADMIN_SEX.has(p.gender)) issues.add('gender', `gender "${String(p.gender)}" is not one of female, male, other, unknown`);
  const phones = (p.telecom ?? []).filter((t) => t.system === 'phone' && t.value);
  const phone = (phones.find((t) => t.use === 'mobile') ?? phones.find((t) => t.use === 'home') ?? phones[0])?.value ?? null;
  const email = (p.telecom ?? []).find((t) => t.system === 'email' && t.value)?.value ?? null;
  const address = (p.address ?? []).find((a) => a.use === 'home') ?? p.address?.[0];
  // A Cairn MRN (from another Cairn's export) is offered back as the MRN; other identifiers are kept as they are.
  const cairnMrn = p.identifier?.find((id) => id.system === CAIRN_MRN_SYSTEM && id.value && /^[A-Za-z0-9-]{1,30}$/.test(id.value))?.value ?? null;
  const identifiers = (p.identifier ?? [])
    .filter((id) => id.system && id.value && id.system !== CAIRN_MRN_SYSTEM)
    .slice(0, 20)
    .map((id) => {
      const type = coding(id.type)?.code ?? id.type?.text;
      return { system: id.system!, value: id.value!.slice(0, 100), ...(type && { type: type.slice(0, 40) }) };
    });
  const language = p.communication?.find((c) => c.preferred) ?? p.communication?.[0];
  return [
    {
      entity: 'patient',
      table: 'patients',
      key: '',
      row: {
        given_name: given[0]?.trim() ?? '',
        middle_name: given.length > 1 ? given.slice(1).join(' ') : null,
        family_name: name?.family?.trim() ?? '',
        preferred_name: nickname,
        birth_date: p.birthDate ?? '',
        sex: p.gender ?? 'unknown',
        phone,
        phone_digits: phone ? phone.replace(/\D/g, '') : null,
        email,
        address_line1: address?.line?.[0] ?? null,
        address_line2: address?.line && address.line.length > 1 ? address.line.slice(1).join(', ') : null,
        city: address?.city ?? null,
        state: address?.state ?? null,
        postal_code: address?.postalCode ?? null,
        country: address?.country ?? null,
        preferred_language: language ? textOf(language.language) : null,
        identifiers: JSON.stringify(identifiers),
        mrn: cairnMrn,
        ...(p.deceasedDateTime !== undefined && { deceased_on: dateOnly(when(issues, 'deceasedDateTime', p.deceasedDateTime)) }),
      },
    },
  ];
}

// ---------------------------------------------------------------- Encounter

const ENCOUNTER_STATUS: Record<string, string> = {
  planned: 'planned',
  arrived: 'checked_in',
  triaged: 'checked_in',
  'in-progress': 'in_progress',
  onleave: 'in_progress',
  finished: 'finished',
};

/** Cairn's visit types from the FHIR class and type (Synthea types are SNOMED encounter codes with free text). */
export function visitTypeOf(e: Encounter): string {
  // SNOMED's semantic tags ("Encounter for check up (procedure)") say nothing about the visit.
  const text = (e.type ?? [])
    .map((t) => textOf(t) ?? '')
    .join(' ')
    .toLowerCase()
    .replace(/\s*\((procedure|finding|disorder|situation|regime\/therapy|environment)\)/g, '');
  if (/telephone|phone/.test(text)) return 'phone';
  if (/telehealth|video|virtual/.test(text)) return 'telehealth';
  if (/follow[- ]?up/.test(text)) return 'follow_up';
  if (/well child|well-child/.test(text)) return 'well_child';
  if (/procedure/.test(text)) return 'procedure';
  if (e.class?.code === 'VR') return 'telehealth';
  const known = ['office_visit', 'follow_up', 'telehealth', 'phone', 'well_child', 'procedure'];
  const coded = (e.type ?? []).flatMap((t) => t.coding ?? []).find((c) => known.includes(c.code ?? ''));
  return coded?.code ?? 'office_visit';
}

function mapEncounter(e: Encounter, issues: Issues, ctx: MapContext): Draft[] | string {
  const status = ENCOUNTER_STATUS[e.status];
  if (!status) return `encounter status "${e.status}" is not imported (only planned, arrived, in-progress and finished visits are)`;
  const reason = e.reasonCode?.[0] ? textOf(e.reasonCode[0]) : e.type?.[0] ? textOf(e.type[0]) : null;
  return [
    {
      entity: 'encounter',
      table: 'encounters',
      key: '',
      row: {
        patient_id: ref(ctx, e.subject),
        visit_type: visitTypeOf(e),
        status,
        provider_id: null,
        reason: reason?.slice(0, 500) ?? null,
        start_at: when(issues, 'period.start', e.period?.start),
        end_at: when(issues, 'period.end', e.period?.end),
      },
    },
  ];
}

// ---------------------------------------------------------------- Condition

const PROBLEM_STATUS: Record<string, string> = {
  active: 'active',
  recurrence: 'active',
  relapse: 'active',
  inactive: 'inactive',
  remission: 'inactive',
  resolved: 'resolved',
};

function mapCondition(c: Condition, issues: Issues, ctx: MapContext): { drafts: Draft[]; notes: string[] } | string {
  const verification = coding(c.verificationStatus)?.code;
  if (verification === 'entered-in-error' || verification === 'refuted') return `condition marked ${verification} at the source`;
  const snomed = coding(c.code, SYSTEMS.snomed)?.code ?? null;
  const icdCoded = coding(c.code, SYSTEMS.icd10cm)?.code ?? null;
  const icd10 = icdCoded ?? (snomed ? (ctx.snomedToIcd10.get(snomed) ?? null) : null);
  const display = textOf(c.code);
  if (!display) issues.add('code', 'the condition has no code or text');
  const clinical = coding(c.clinicalStatus)?.code;
  const notes = icd10 === null ? [`uncoded to ICD-10: ${snomed ? `SNOMED ${snomed}` : 'no SNOMED code'} (${display ?? '?'})`] : [];
  const onset = when(issues, 'onsetDateTime', c.onsetDateTime);
  const abatement = when(issues, 'abatementDateTime', c.abatementDateTime);
  return {
    drafts: [
      {
        entity: 'condition',
        table: 'conditions',
        key: '',
        row: {
          patient_id: ref(ctx, c.subject),
          icd10,
          snomed,
          display: display ?? '',
          clinical_status: (clinical && PROBLEM_STATUS[clinical]) ?? (c.abatementDateTime ? 'resolved' : 'active'),
          onset_date: dateOnly(onset),
          abatement_date: dateOnly(abatement),
          chronic: 0,
          note: annotationText(c.note),
        },
      },
    ],
    notes,
  };
}

// ---------------------------------------------------------------- AllergyIntolerance

const SUBSTANCE_TYPE: Record<string, string> = { medication: 'drug', food: 'food', environment: 'environment', biologic: 'other' };

function mapAllergy(a: AllergyIntolerance, issues: Issues, ctx: MapContext): Draft[] | string {
  const verification = coding(a.verificationStatus)?.code;
  if (verification === 'entered-in-error' || verification === 'refuted') return `allergy marked ${verification} at the source`;
  const substance = textOf(a.code);
  if (!substance) issues.add('code', 'the allergy names no substance');
  const rx = coding(a.code, SYSTEMS.rxnorm)?.code ?? null;
  const other = rx ? undefined : coding(a.code);
  const reactions = (a.reaction ?? []).flatMap((r) => (r.manifestation ?? []).map((m) => textOf(m))).filter((s): s is string => !!s);
  const severity = a.reaction?.find((r) => r.severity)?.severity ?? null;
  const clinical = coding(a.clinicalStatus)?.code ?? 'active';
  const recorded = when(issues, 'recordedDate', a.recordedDate);
  const onset = when(issues, 'onsetDateTime', a.onsetDateTime);
  const sourceCode = other?.code ? `coded at the source as ${other.system ?? '?'}|${other.code}` : null;
  return [
    {
      entity: 'allergy',
      table: 'allergies',
      key: '',
      row: {
        patient_id: ref(ctx, a.patient),
        kind: 'allergy',
        substance: substance ?? '',
        // Important: substance_code is an RxNorm code (the drug checks read it); other codes are kept in the note.
        substance_code: rx,
        reactions: JSON.stringify(reactions),
        severity,
        criticality: a.criticality === 'unable-to-assess' ? 'unable_to_assess' : (a.criticality ?? 'unable_to_assess'),
        status: ['active', 'inactive', 'resolved'].includes(clinical) ? clinical : 'active',
        recorded_at: recorded ?? onset ?? ctx.importedAt,
        substance_type: SUBSTANCE_TYPE[a.category?.[0] ?? ''] ?? (rx ? 'drug' : 'other'),
        onset_date: dateOnly(onset),
        note: [annotationText(a.note), sourceCode].filter(Boolean).join('\n') || null,
      },
    },
  ];
}

// ---------------------------------------------------------------- Observation

function categoryOf(o: { category?: CodeableConcept[] }): string {
  return o.category?.flatMap((c) => c.coding ?? []).find((c) => c.code)?.code ?? 'other';
}

const VITAL_BY_LOINC = new Map<string, VitalKind>(Object.entries(VITAL_KINDS).map(([k, v]) => [v.loinc, k as VitalKind]));

/** A quantity in the unit Cairn stores that vital in (converted when the kind allows the unit), else as given. */
function quantityCells(loinc: string, q: Quantity): { value_num: number | null; unit: string | null; entered_as: string | null } {
  const unit = q.code ?? q.unit ?? null;
  const value = typeof q.value === 'number' && Number.isFinite(q.value) ? q.value : null;
  const kind = VITAL_BY_LOINC.get(loinc);
  if (kind && value !== null && unit !== null && (VITAL_KINDS[kind].units as readonly string[]).includes(unit)) {
    // Same conversion and rounding as vitals typed in here.
    const stored = toUcum(kind, value, unit as never);
    // entered_as keeps a value given in another unit (lb, [degF]); rounding alone is not worth a note.
    return { value_num: stored, unit: VITAL_KINDS[kind].unit, entered_as: unit === VITAL_KINDS[kind].unit ? null : `${value} ${unit}` };
  }
  return { value_num: value, unit, entered_as: null };
}

interface ValueCarrier {
  code?: CodeableConcept;
  valueQuantity?: Quantity;
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
  valueDateTime?: string;
  interpretation?: CodeableConcept[];
  referenceRange?: { low?: Quantity; high?: Quantity; text?: string }[];
}

function valueCells(loinc: string, v: ValueCarrier): Record<string, Cell> {
  const range = v.referenceRange?.[0];
  const base: Record<string, Cell> = {
    value_num: null,
    value_text: null,
    unit: null,
    value_code: null,
    value_system: null,
    entered_as: null,
    ref_low: typeof range?.low?.value === 'number' ? range.low.value : null,
    ref_high: typeof range?.high?.value === 'number' ? range.high.value : null,
    ref_text: range?.text ?? null,
    interpretation: coding(v.interpretation?.[0])?.code ?? null,
  };
  if (v.valueQuantity) return { ...base, ...quantityCells(loinc, v.valueQuantity) };
  if (v.valueCodeableConcept) {
    const c = coding(v.valueCodeableConcept);
    return { ...base, value_text: textOf(v.valueCodeableConcept), value_code: c?.code ?? null, value_system: c?.system ?? null };
  }
  if (v.valueString !== undefined) return { ...base, value_text: v.valueString };
  if (v.valueBoolean !== undefined) return { ...base, value_text: String(v.valueBoolean) };
  if (v.valueInteger !== undefined) return { ...base, value_num: v.valueInteger };
  if (v.valueDateTime !== undefined) return { ...base, value_text: v.valueDateTime };
  return base;
}

function codeOf(cc: CodeableConcept | undefined): { loinc: string | null; display: string | null } {
  const c = coding(cc, SYSTEMS.loinc) ?? coding(cc);
  return { loinc: c?.code ?? null, display: textOf(cc) };
}

function mapObservation(o: Observation, issues: Issues, ctx: MapContext): Draft[] | string {
  if (o.status === 'entered-in-error' || o.status === 'cancelled') return `observation marked ${o.status} at the source`;
  const { loinc, display } = codeOf(o.code);
  if (!loinc) issues.add('code', 'the observation has no code');
  const effective =
    when(issues, 'effectiveDateTime', o.effectiveDateTime) ??
    when(issues, 'effectivePeriod.start', o.effectivePeriod?.start) ??
    when(issues, 'issued', o.issued);
  if (effective === null && issues.list.length === 0) issues.add('effectiveDateTime', 'the observation has no effective time (effective[x] or issued)');
  const category = categoryOf(o);
  const common: Record<string, Cell> = {
    patient_id: ref(ctx, o.subject),
    encounter_id: ref(ctx, o.encounter),
    category,
    status: o.status,
    effective_at: effective ?? '',
    order_id: null,
    supersedes_id: null,
  };
  const vitalSet = category === 'vital-signs' ? `${o.encounter?.reference ?? ''}|${effective ?? ''}` : undefined;
  const hasValue = Object.keys(o).some((k) => k.startsWith('value'));
  if (o.component?.length && !hasValue) {
    // A panel (blood pressure): one row per component, as vitals typed here are kept.
    return o.component.map((c, i) => {
      const code = codeOf(c.code);
      if (!code.loinc) issues.add(`component[${i}].code`, 'the component has no code');
      return {
        entity: 'observation',
        table: 'observations',
        key: `#${code.loinc ?? i}`,
        row: { ...common, loinc: code.loinc ?? '', display: code.display, ...valueCells(code.loinc ?? '', c) },
        ...(vitalSet !== undefined && { vitalSet }),
      };
    });
  }
  // Comments on the result (a lab's "specimen hemolyzed") are kept as the results views show them.
  const notes = (o.note ?? []).map((n) => n.text?.trim()).filter((t): t is string => !!t);
  const noted: Record<string, Cell> = notes.length > 0 ? { lab_notes: JSON.stringify(notes) } : {};
  return [
    {
      entity: 'observation',
      table: 'observations',
      key: '',
      row: { ...common, loinc: loinc ?? '', display, ...valueCells(loinc ?? '', o), ...noted },
      ...(vitalSet !== undefined && { vitalSet }),
    },
  ];
}

// ---------------------------------------------------------------- DiagnosticReport

function mapDiagnosticReport(d: DiagnosticReport, issues: Issues, ctx: MapContext): Draft[] {
  const { loinc, display } = codeOf(d.code);
  if (!display) issues.add('code', 'the report has no code or text');
  const results = (d.result ?? []).map((r) => ctx.resolve(r.reference)).filter((k): k is SourceKey => k !== null);
  return [
    {
      entity: 'diagnostic_report',
      table: 'diagnostic_reports',
      key: '',
      row: {
        patient_id: ref(ctx, d.subject),
        encounter_id: ref(ctx, d.encounter),
        category: coding(d.category?.[0])?.code ?? null,
        loinc,
        display: display ?? '',
        status: d.status,
        effective_at: when(issues, 'effectiveDateTime', d.effectiveDateTime) ?? when(issues, 'effectivePeriod.start', d.effectivePeriod?.start),
        issued_at: when(issues, 'issued', d.issued),
        result_ids: { refs: results },
        conclusion: d.conclusion ?? null,
      },
    },
  ];
}

// ---------------------------------------------------------------- MedicationRequest

function doseText(m: MedicationRequest): { dose: string | null; route: string | null; frequency: string | null } {
  const d = m.dosageInstruction?.[0];
  const q = d?.doseAndRate?.[0]?.doseQuantity;
  const r = d?.timing?.repeat;
  const frequency =
    r?.frequency && r.period && r.periodUnit
      ? `${r.frequency} per ${r.period === 1 ? '' : `${r.period} `}${r.periodUnit}`
      : d?.asNeededBoolean
        ? 'as needed'
        : null;
  return {
    dose: q?.value !== undefined ? `${q.value} ${q.unit ?? q.code ?? ''}`.trim() : (d?.text ?? null),
    route: d?.route ? textOf(d.route) : null,
    frequency,
  };
}

const STOPPED = new Set(['stopped', 'completed', 'cancelled']);

function mapMedicationRequest(m: MedicationRequest, issues: Issues, ctx: MapContext): Draft[] | string {
  if (m.status === 'entered-in-error' || m.status === 'draft') return `medication request marked ${m.status} at the source`;
  if (m.intent && !['order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'plan', 'proposal'].includes(m.intent))
    return `medication request intent "${m.intent}" is not imported`;
  const cc = m.medicationCodeableConcept;
  if (!cc) {
    if (m.medicationReference)
      issues.add('medicationReference', 'a medication named by reference (a Medication resource) is not imported yet: use medicationCodeableConcept');
    else issues.add('medicationCodeableConcept', 'the request names no medication');
    return [];
  }
  const name = textOf(cc);
  if (!name) issues.add('medicationCodeableConcept', 'the medication has no code or text');
  const start = when(issues, 'authoredOn', m.authoredOn);
  if (start === null && issues.list.length === 0) issues.add('authoredOn', 'the request has no authoredOn date to start the course at');
  const { dose, route, frequency } = doseText(m);
  const base: Record<string, Cell> = {
    patient_id: ref(ctx, m.subject),
    rxcui: coding(cc, SYSTEMS.rxnorm)?.code ?? null,
    drug_name: name ?? '',
    dose,
    route,
    frequency,
    source: 'imported',
    sig: null,
    prescription_id: null,
    encounter_id: ref(ctx, m.encounter),
  };
  const drafts: Draft[] = [
    {
      entity: 'medication_event',
      table: 'medication_events',
      key: '#start',
      course: true,
      row: { ...base, event: 'start', reason: m.reasonCode?.[0] ? textOf(m.reasonCode[0]) : null, effective_at: start ?? '' },
    },
  ];
  if (STOPPED.has(m.status)) {
    const end = when(issues, 'dispenseRequest.validityPeriod.end', m.dispenseRequest?.validityPeriod?.end);
    drafts.push({
      entity: 'medication_event',
      table: 'medication_events',
      key: '#stop',
      course: true,
      // Important: Synthea (and many exports) give no stop date: the import time stands in and the reason says so.
      row: {
        ...base,
        event: 'stop',
        reason: end ? `${m.status} at the source` : `${m.status} at the source (stop date not recorded)`,
        effective_at: end ?? ctx.importedAt,
      },
    });
  }
  return drafts;
}

// ---------------------------------------------------------------- Immunization

function mapImmunization(im: Immunization, issues: Issues, ctx: MapContext): Draft[] | string {
  if (im.status === 'entered-in-error') return 'immunization marked entered-in-error at the source';
  const cvx = coding(im.vaccineCode, SYSTEMS.cvx)?.code;
  if (!cvx) return 'vaccine has no CVX code';
  if (!/^\d{1,3}$/.test(cvx)) issues.add('vaccineCode', `"${cvx}" is not a CVX code (1 to 3 digits)`);
  const on = when(issues, 'occurrenceDateTime', im.occurrenceDateTime);
  if (on === null && im.occurrenceDateTime === undefined) issues.add('occurrenceDateTime', 'the immunization has no date (occurrenceDateTime)');
  const dose = im.protocolApplied?.[0]?.doseNumberPositiveInt ?? null;
  return [
    {
      entity: 'immunization',
      table: 'immunizations',
      key: '',
      row: {
        patient_id: ref(ctx, im.patient),
        cvx: cvx.padStart(2, '0'),
        mvx: im.manufacturer?.identifier?.system === 'http://hl7.org/fhir/sid/mvx' ? (im.manufacturer.identifier.value ?? null) : null,
        lot: im.lotNumber ?? null,
        site: im.site ? textOf(im.site) : null,
        route: im.route ? textOf(im.route) : null,
        administered_on: dateOnly(on) ?? '',
        status: im.status,
        expiration_date: im.expirationDate ?? null,
        dose_number: dose,
        // Given elsewhere and brought in: historical, whatever the source's primarySource says.
        source: 'historical',
        note: annotationText(im.note),
      },
    },
  ];
}

// ---------------------------------------------------------------- Procedure

function mapProcedure(p: Procedure, issues: Issues, ctx: MapContext): Draft[] | string {
  if (p.status === 'entered-in-error') return 'procedure marked entered-in-error at the source';
  const c = coding(p.code);
  const display = textOf(p.code);
  if (!display) issues.add('code', 'the procedure has no code or text');
  const reason = p.reasonCode?.[0];
  return [
    {
      entity: 'procedure',
      table: 'procedures',
      key: '',
      row: {
        patient_id: ref(ctx, p.subject),
        encounter_id: ref(ctx, p.encounter),
        code_system: c?.system ?? null,
        code: c?.code ?? null,
        display: display ?? '',
        status: p.status,
        performed_start: when(issues, 'performedDateTime', p.performedDateTime) ?? when(issues, 'performedPeriod.start', p.performedPeriod?.start),
        performed_end: when(issues, 'performedPeriod.end', p.performedPeriod?.end),
        reason_code: coding(reason)?.code ?? null,
        reason_display: reason ? textOf(reason) : (p.reasonReference?.[0]?.display ?? null),
        note: annotationText(p.note),
      },
    },
  ];
}

// ---------------------------------------------------------------- CarePlan

function mapCarePlan(cp: CarePlan, issues: Issues, ctx: MapContext): Draft[] | string {
  if (cp.status === 'entered-in-error') return 'care plan marked entered-in-error at the source';
  const cat = cp.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === SYSTEMS.snomed) ?? coding(cp.category?.[0]);
  const activities = (cp.activity ?? []).map((a) => {
    const c = coding(a.detail?.code);
    return { code: c?.code ?? null, system: c?.system ?? null, display: a.detail?.code ? textOf(a.detail.code) : null, status: a.detail?.status ?? null };
  });
  const addresses = (cp.addresses ?? []).map((r) => ctx.resolve(r.reference)).filter((k): k is SourceKey => k !== null);
  return [
    {
      entity: 'care_plan',
      table: 'care_plans',
      key: '',
      row: {
        patient_id: ref(ctx, cp.subject),
        encounter_id: ref(ctx, cp.encounter),
        status: cp.status,
        intent: cp.intent,
        category_code: cat?.code ?? null,
        category_display: cat?.display ?? (cp.category?.[0] ? textOf(cp.category[0]) : null),
        title: cp.title ?? null,
        period_start: when(issues, 'period.start', cp.period?.start),
        period_end: when(issues, 'period.end', cp.period?.end),
        activities: JSON.stringify(activities),
        addresses: { refs: addresses },
      },
    },
  ];
}

// ---------------------------------------------------------------- dispatch

type Mapped = Draft[] | string | { drafts: Draft[]; notes: string[] };

/** The resource types imported, each with its mapper. */
const MAPPERS: Record<string, (r: never, issues: Issues, ctx: MapContext) => Mapped> = {
  Patient: mapPatient,
  Encounter: mapEncounter,
  Condition: mapCondition,
  AllergyIntolerance: mapAllergy,
  Observation: mapObservation,
  DiagnosticReport: mapDiagnosticReport,
  MedicationRequest: mapMedicationRequest,
  Immunization: mapImmunization,
  Procedure: mapProcedure,
  CarePlan: mapCarePlan,
};

/** Maps one bundle entry to the rows it becomes, a reason it is skipped, or its problems (with JSON paths). */
export function mapResource(entry: SourceEntry, ctx: MapContext): MapOutcome {
  try {
    return mapChecked(entry, ctx);
  } catch (e) {
    // Important: a value of the wrong JSON type (a name that is a string, a coding that is a number)
    // is an error of this entry, never a crash of the import.
    const message = e instanceof Error ? e.message : String(e);
    return {
      kind: 'error',
      issues: [
        {
          index: entry.index,
          path: `entry[${entry.index}].resource`,
          resourceType: String(entry.resource.resourceType),
          message: `malformed ${String(entry.resource.resourceType)}: ${message}`,
        },
      ],
    };
  }
}

function mapChecked(entry: SourceEntry, ctx: MapContext): MapOutcome {
  const issues = new Issues(entry);
  const r: Resource = entry.resource;
  // Important: own keys only, so a resourceType such as "constructor" is just not imported.
  if (!Object.hasOwn(MAPPERS, r.resourceType))
    return {
      kind: 'skipped',
      reason: Object.hasOwn(SKIP_REASONS, r.resourceType) ? SKIP_REASONS[r.resourceType]! : `${String(r.resourceType)} is not imported`,
    };
  const mapper = MAPPERS[r.resourceType] as (r: Resource, issues: Issues, ctx: MapContext) => Mapped;
  const out = mapper(r, issues, ctx);
  if (typeof out === 'string') return { kind: 'skipped', reason: out };
  const { drafts, notes } = Array.isArray(out) ? { drafts: out, notes: [] } : out;
  if (r.resourceType !== 'Patient') {
    const patientPath = r.resourceType === 'AllergyIntolerance' || r.resourceType === 'Immunization' ? 'patient' : 'subject';
    if (drafts.some((d) => d.row['patient_id'] === null)) issues.add(`${patientPath}.reference`, 'the resource does not point at a patient in this bundle');
  }
  for (const d of drafts) {
    for (const [column, v] of Object.entries(d.row)) {
      if (!bindable(v)) issues.add('', `a value of the wrong JSON type where Cairn's ${d.table}.${column} comes from (${JSON.stringify(v).slice(0, 60)})`);
    }
  }
  if (issues.list.length > 0) return { kind: 'error', issues: issues.list };
  return { kind: 'rows', drafts, notes };
}

/** A value SQLite can store, or a reference the importer resolves. */
function bindable(v: unknown): boolean {
  if (v === null || typeof v === 'string') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object') return false;
  if ('ref' in v) return typeof v.ref === 'string';
  return 'refs' in v && Array.isArray(v.refs) && v.refs.every((r) => typeof r === 'string');
}

/** Parses the shipped SNOMED → ICD-10-CM map (TSV with # comments and a header line). */
export function parseSnomedIcd10Map(tsv: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of tsv.split(/\r?\n/)) {
    if (line.startsWith('#') || line.startsWith('snomed\t') || line.trim() === '') continue;
    const [snomed, icd10] = line.split('\t');
    if (snomed && icd10) map.set(snomed, icd10);
  }
  return map;
}
