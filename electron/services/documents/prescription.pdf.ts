import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

export interface PrescriptionPrint {
  clinicName: string;
  /** One line; null when the clinic has not recorded one. */
  clinicAddress: string | null;
  prescriber: string;
  /** The prescriber's NPI and DEA registration, when recorded. */
  prescriberNpi: string | null;
  prescriberDea: string | null;
  /** Federal schedule ('CII' …) of a controlled drug; null when not controlled. */
  controlledSchedule: string | null;
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
  line(p.clinicAddress ?? 'Clinic address not recorded', 10);
  line(`Prescriber: ${p.prescriber}    NPI ${p.prescriberNpi ?? 'not recorded'}`);
  // Important: a controlled prescription without the prescriber's DEA number is refused at the pharmacy; say so on the page.
  if (p.controlledSchedule)
    line(
      `DEA ${p.prescriberDea ?? 'not recorded: required for a controlled substance'}    Schedule ${p.controlledSchedule.replace(/^C/, 'C-')} controlled substance`,
      11,
      bold,
    );
  y -= 6;
  line(`Patient: ${p.patient.name}    DOB ${p.patient.birthDate}    MRN ${p.patient.mrn}`, 11, bold);
  if (p.patient.address) line(p.patient.address, 10);
  y -= 6;
  line('Rx', 18, bold);
  line(`${p.drugName}  (RxNorm ${p.rxcui})`, 12, bold);
  line(p.sigText, 12);
  y -= 14;
  line('Signature: ______________________________________    Date: ______________', 11);
  line(`Electronically signed by ${p.prescriber} at ${p.signedAt}`, 9);
  line(`Prescription ${p.prescriptionId}. Dispense as written unless substitution is permitted by state law.`, 8);
  return doc.save();
}
