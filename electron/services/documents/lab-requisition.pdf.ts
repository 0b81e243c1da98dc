import { printable, textPdf } from './pdf-text';

export interface LabRequisition {
  clinicName: string;
  patient: { name: string; birthDate: string; sex: string; mrn: string };
  provider: string;
  orderedAt: string;
  placerNumber: string;
  status: string;
  tests: { loinc: string; display: string; specimen: string | null }[];
  printedAt: string;
}

/** A printable lab requisition (one letter page per 30 or so tests), made on the Node side with pdf-lib. */
export async function labRequisitionPdf(r: LabRequisition): Promise<Uint8Array> {
  const { doc, line, gap, bold, regular, save } = await textPdf(`Lab requisition ${r.placerNumber} - ${r.patient.name}`);
  doc.setSubject(printable(`Placer order number ${r.placerNumber}`));
  line(r.clinicName, 16, bold);
  line('Laboratory requisition', 13, bold);
  gap(4);
  line(`Placer order number: ${r.placerNumber}`, 13, bold);
  line(`Ordered ${r.orderedAt.slice(0, 10)} by ${r.provider}    Status: ${r.status}`);
  gap(6);
  line(`Patient: ${r.patient.name}`, 11, bold);
  line(`DOB ${r.patient.birthDate}    Sex ${r.patient.sex}    MRN ${r.patient.mrn}`);
  gap(8);
  line('Tests (LOINC)', 11, bold);
  for (const t of r.tests) {
    line(`${t.loinc}   ${t.display}`, 10, regular, 60);
    if (t.specimen) line(`Specimen: ${t.specimen}`, 9, regular, 80);
  }
  gap(10);
  line(`Label every specimen with the placer order number ${r.placerNumber} and the patient's name and date of birth.`, 9, bold);
  line(`Printed ${r.printedAt}. Cairn.`, 8);
  return save();
}
