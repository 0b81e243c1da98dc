import { printable, textPdf } from './pdf-text';

export interface ImagingRequisition {
  clinicName: string;
  patient: { name: string; birthDate: string; sex: string; mrn: string; phone: string | null };
  provider: string;
  providerNpi: string | null;
  orderedAt: string;
  placerNumber: string;
  priority: string;
  indication: string;
  diagnoses: { code: string; display: string | null }[];
  studies: { loinc: string; display: string; modality: string | null; preparation: string | null }[];
  printedAt: string;
}

/** A printable imaging requisition for the imaging center, made on the Node side with pdf-lib (the house text style). */
export async function imagingRequisitionPdf(r: ImagingRequisition): Promise<Uint8Array> {
  const { doc, line, gap, bold, regular, save } = await textPdf(`Imaging requisition ${r.placerNumber} - ${r.patient.name}`);
  doc.setSubject(printable(`Placer order number ${r.placerNumber}`));
  line(r.clinicName, 16, bold);
  line('Imaging requisition', 13, bold);
  gap(4);
  line(`Order number: ${r.placerNumber}    Priority: ${r.priority.toUpperCase()}`, 13, bold);
  line(`Ordered ${r.orderedAt.slice(0, 10)} by ${r.provider}    NPI ${r.providerNpi ?? 'not recorded'}`);
  gap(6);
  line(`Patient: ${r.patient.name}`, 11, bold);
  line(`DOB ${r.patient.birthDate}    Sex ${r.patient.sex}    MRN ${r.patient.mrn}${r.patient.phone ? `    Phone ${r.patient.phone}` : ''}`);
  gap(8);
  line('Studies (LOINC)', 11, bold);
  for (const s of r.studies) {
    line(`${s.loinc}   ${s.display}${s.modality ? `   [${s.modality}]` : ''}`, 10, regular, 60);
    if (s.preparation) line(`Preparation: ${s.preparation}`, 9, regular, 80);
  }
  gap(6);
  line('Clinical indication', 11, bold);
  for (const part of wrap(r.indication, 95)) line(part, 10, regular, 60);
  gap(4);
  line('Diagnoses (ICD-10-CM)', 11, bold);
  if (r.diagnoses.length === 0) line('none given', 10, regular, 60);
  for (const d of r.diagnoses) line(`${d.code}   ${d.display ?? ''}`, 10, regular, 60);
  gap(10);
  line(`Send the report to ${r.clinicName}, quoting order number ${r.placerNumber}.`, 9, bold);
  line(`Printed ${r.printedAt}. Cairn.`, 8);
  return save();
}

/** Long free text as lines of at most `width` characters, broken at spaces. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let cur = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (cur && cur.length + word.length + 1 > width) {
        out.push(cur);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    out.push(cur);
  }
  return out;
}
