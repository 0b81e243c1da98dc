import { displayName } from '../../../shared/domain/patient';
import { VISIT_TYPE_DOCUMENT_LABELS, type Note } from '../../../shared/domain/clinical';
import { renderNoteText } from '../../../shared/domain/templates';
import type { Session } from '../session';
import { visitSummaryPdf, vitalLines } from './visit-summary.pdf';
import { prescriptionPdf } from './prescription.pdf';
import { sig, sigText } from '../../../shared/domain/sig';
import { controlledSchedule } from '../../../shared/domain/drugs';
import { clinicAddressLine } from '../../../shared/domain/prescriber';
import { readClinic } from '../clinic-settings';
import { clinicDate } from '../../../shared/domain/dates';

/** Gathers a note, its addenda, patient and encounter into a printable visit summary PDF; the visit's date is its day in the clinic's zone. */
export async function notePdf(session: Session, n: Note, now: Date, zone: string): Promise<{ fileName: string; base64: string }> {
  const repos = session.repos;
  const patient = repos.patients.peek(n.patientId);
  const encounter = n.encounterId ? repos.encounters.get(n.encounterId) : null;
  const rendered = n.templateId ? renderNoteText(repos.templates.get(n.templateId), n.content) : { title: n.title, sections: [] };
  const addenda = repos.notes.list({ patientId: n.patientId }).filter((a) => a.amendsNoteId === n.id && a.status === 'signed');
  // In the units they were typed in (lb, °F), with the stored UCUM value beside.
  const vitals = encounter ? vitalLines(repos.vitals.forEncounter(encounter.id)) : [];
  const bytes = await visitSummaryPdf({
    clinicName: session.status().clinicName ?? 'Cairn',
    patient: { name: displayName(patient), birthDate: patient.birthDate, sex: patient.sex, mrn: patient.mrn },
    encounter: encounter
      ? {
          visitType: VISIT_TYPE_DOCUMENT_LABELS[encounter.visitType] ?? encounter.visitType,
          date: clinicDate(encounter.startAt ?? n.createdAt, zone),
          provider: encounter.providerName,
          reason: encounter.reason,
        }
      : null,
    note: { title: n.title, status: n.status, author: n.authorName, signedAt: n.signedAt, contentHash: n.contentHash, errorReason: n.errorReason },
    sections: rendered.sections,
    addenda: addenda.map((a) => ({ author: a.authorName, signedAt: a.signedAt, text: typeof a.content['text'] === 'string' ? a.content['text'] : '' })),
    vitals,
    printedAt: now.toISOString(),
  });
  const fileName = `visit-summary-${patient.mrn}-${clinicDate(n.signedAt ?? n.createdAt, zone)}.pdf`;
  return { fileName, base64: Buffer.from(bytes).toString('base64') };
}

/** The printable prescription for a stored MedicationRequest. */
export async function prescriptionPdfFor(
  session: Session,
  rx: { id: string; patientId: string; drugName: string; rxcui: string; sig: string; signedAt: string; prescriberId: string; prescriber: string | null },
): Promise<{ fileName: string; base64: string }> {
  const patient = session.repos.patients.peek(rx.patientId);
  const address = [patient.address.line1, patient.address.city, patient.address.state, patient.address.postalCode].filter(Boolean).join(', ');
  const knowledge = session.repos.drugs();
  const drug = knowledge.index.byRxcui.get(rx.rxcui)?.drug;
  const clinic = readClinic(session.repos.store.sqlite);
  // The prescriber's identifiers as recorded now (Users screen): a reprint carries a corrected number.
  const ids = session.repos.users.prescriberIds(rx.prescriberId);
  const bytes = await prescriptionPdf({
    clinicName: clinic.name,
    clinicAddress: clinicAddressLine(clinic),
    prescriber: rx.prescriber ?? 'unknown',
    prescriberNpi: ids.npi,
    prescriberDea: ids.dea,
    controlledSchedule: drug ? controlledSchedule(drug, knowledge.controlled) : null,
    patient: { name: displayName(patient), birthDate: patient.birthDate, mrn: patient.mrn, address: address || null },
    drugName: rx.drugName,
    rxcui: rx.rxcui,
    sigText: sigText(sig.parse(JSON.parse(rx.sig)), rx.drugName, drug?.strength),
    signedAt: rx.signedAt,
    prescriptionId: rx.id,
  });
  return { fileName: `prescription-${patient.mrn}-${rx.signedAt.slice(0, 10)}.pdf`, base64: Buffer.from(bytes).toString('base64') };
}
