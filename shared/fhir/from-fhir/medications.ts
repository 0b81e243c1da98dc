import type { Immunization, MedicationRequest } from '@medplum/fhirtypes';
import { SYSTEMS, type Cell, type Draft, type Issues, type MapContext } from './context';
import { annotationText, coding, dateOnly, ref, textOf, when } from './readers';

// MedicationRequest and Immunization mappers.

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

/** MedicationRequest → the medication course's events (start, and stop when it ended). */
export function mapMedicationRequest(m: MedicationRequest, issues: Issues, ctx: MapContext): Draft[] | string {
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

/** Immunization → immunization row. */
export function mapImmunization(im: Immunization, issues: Issues, ctx: MapContext): Draft[] | string {
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
