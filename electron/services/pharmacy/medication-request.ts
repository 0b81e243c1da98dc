import type { Sig } from '../../../shared/domain/sig';
import type { Actor } from '../repos/writer';

/** The prescription in FHIR R4 MedicationRequest form, ready for print or a pharmacy adapter. */
export function medicationRequest(p: {
  id: string;
  patientId: string;
  encounterId: string | null;
  rxcui: string;
  drugName: string;
  sig: Sig;
  text: string;
  at: string;
  prescriber: Actor & { name: string };
}): Record<string, unknown> {
  return {
    resourceType: 'MedicationRequest',
    id: p.id,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: p.rxcui, display: p.drugName }], text: p.drugName },
    subject: { reference: `Patient/${p.patientId}` },
    ...(p.encounterId && { encounter: { reference: `Encounter/${p.encounterId}` } }),
    authoredOn: p.at,
    requester: { reference: `Practitioner/${p.prescriber.userId}`, display: p.prescriber.name },
    ...(p.sig.indication && { reasonCode: [{ text: p.sig.indication }] }),
    dosageInstruction: [
      {
        text: p.text,
        asNeededBoolean: p.sig.prn,
        route: { text: p.sig.route },
        timing: { code: { text: p.sig.frequency } },
        doseAndRate: [{ doseQuantity: { value: p.sig.doseAmount, unit: p.sig.doseUnit } }],
      },
    ],
    dispenseRequest: {
      quantity: { value: p.sig.quantity, unit: p.sig.quantityUnit },
      numberOfRepeatsAllowed: p.sig.refills,
      ...(p.sig.durationDays && { expectedSupplyDuration: { value: p.sig.durationDays, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } }),
    },
  };
}
