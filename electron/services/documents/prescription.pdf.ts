import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

export interface PrescriptionPrint {
  clinicName: string;
  prescriber: string;
  patient: { name: string; birthDate: string; mrn: string; address: string | null };
  drugName: string;
  rxcui: string;
  sigText: string;
  signedAt: string;
  prescriptionId: string;
}

const clean = (s: string): string => s.replace(/[\u2013\u2014]/g, '-').replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');

/** A printable prescription (one page), made on the Node side. */
export async function prescriptionPdf(p: PrescriptionPrint): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(clean(`Prescription - ${p.patient.name}`));
  doc.setCreator('Cairn');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([612, 396]);
  let y = 360;
  const line = (text: string, size = 11, f = font): void => {
    page.drawText(clean(text), { x: 40, y, size, font: f, color: rgb(0, 0, 0), maxWidth: 532, lineHeight: size + 3 });
    y -= size + 8 + Math.floor(font.widthOfTextAtSize(clean(text), size) / 532) * (size + 3);
  };
  line(p.clinicName, 14, bold);
  line(`Prescriber: ${p.prescriber}`);
  y -= 6;
  line(`Patient: ${p.patient.name}    DOB ${p.patient.birthDate}    MRN ${p.patient.mrn}`, 11, bold);
  if (p.patient.address) line(p.patient.address, 10);
  y -= 6;
  line('Rx', 18, bold);
  line(`${p.drugName}  (RxNorm ${p.rxcui})`, 12, bold);
  line(p.sigText, 12);
  y -= 10;
  line(`Electronically signed by ${p.prescriber} at ${p.signedAt}`, 9);
  line(`Prescription ${p.prescriptionId}. Dispense as written unless substitution is permitted by state law.`, 8);
  return doc.save();
}
