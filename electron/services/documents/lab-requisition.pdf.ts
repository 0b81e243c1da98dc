import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

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

/** The standard fonts speak WinAnsi only: keep Latin-1 letters, replace the rest. */
export const printable = (s: string): string => s.replace(/[\u2018\u2019]/g, "'").replace(/[\u2013\u2014]/g, '-').replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');

/** A printable lab requisition (one letter page per 30 or so tests), made on the Node side with pdf-lib. */
export async function labRequisitionPdf(r: LabRequisition): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(`Lab requisition ${r.placerNumber} - ${r.patient.name}`));
  doc.setSubject(printable(`Placer order number ${r.placerNumber}`));
  doc.setCreator('Cairn');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([612, 792]);
  let y = 742;
  const line = (text: string, size = 10, font: PDFFont = regular, x = 50): void => {
    if (y < 60) {
      page = doc.addPage([612, 792]);
      y = 742;
    }
    page.drawText(printable(text), { x, y, size, font, color: rgb(0, 0, 0), maxWidth: 512 });
    y -= size + 6;
  };
  line(r.clinicName, 16, bold);
  line('Laboratory requisition', 13, bold);
  y -= 4;
  line(`Placer order number: ${r.placerNumber}`, 13, bold);
  line(`Ordered ${r.orderedAt.slice(0, 10)} by ${r.provider}    Status: ${r.status}`);
  y -= 6;
  line(`Patient: ${r.patient.name}`, 11, bold);
  line(`DOB ${r.patient.birthDate}    Sex ${r.patient.sex}    MRN ${r.patient.mrn}`);
  y -= 8;
  line('Tests (LOINC)', 11, bold);
  for (const t of r.tests) {
    line(`${t.loinc}   ${t.display}`, 10, regular, 60);
    if (t.specimen) line(`Specimen: ${t.specimen}`, 9, regular, 80);
  }
  y -= 10;
  line(`Label every specimen with the placer order number ${r.placerNumber} and the patient's name and date of birth.`, 9, bold);
  line(`Printed ${r.printedAt}. Cairn.`, 8);
  return doc.save();
}
