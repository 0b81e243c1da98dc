import { wrap } from './imaging-requisition.pdf';
import { printable, textPdf } from './pdf-text';

export interface ReferralLetter {
  clinicName: string;
  clinicAddress: string | null;
  /** The receiving provider, or the specialty alone when none was chosen. */
  to: { name: string | null; organization: string | null; specialty: string; phone: string | null; fax: string | null; address: string | null };
  patient: { name: string; birthDate: string; sex: string; mrn: string; phone: string | null };
  urgency: string;
  reason: string;
  diagnoses: { code: string; display: string | null }[];
  problems: string[];
  medications: string[];
  allergies: string[];
  referring: { name: string; npi: string | null };
  sentAt: string | null;
  replyDue: string | null;
  referralId: string;
  printedAt: string;
}

/** The referral letter to the specialist (pdf-lib, the house text style): who, why, how soon, and the chart's summary. */
export async function referralLetterPdf(r: ReferralLetter): Promise<Uint8Array> {
  const { doc, line, gap, bold, regular, save } = await textPdf(`Referral - ${r.patient.name} to ${r.to.name ?? r.to.specialty}`);
  doc.setSubject(printable(`Referral ${r.referralId}`));
  const list = (title: string, items: string[], none: string): void => {
    line(title, 11, bold);
    if (items.length === 0) line(none, 10, regular, 60);
    for (const i of items) line(`- ${i}`, 10, regular, 60);
    gap(4);
  };
  line(r.clinicName, 16, bold);
  if (r.clinicAddress) line(r.clinicAddress, 9);
  line(`Referral${r.urgency === 'routine' ? '' : ` - ${r.urgency.toUpperCase()}`}`, 13, bold);
  line(`Date: ${(r.sentAt ?? r.printedAt).slice(0, 10)}${r.replyDue ? `    Reply requested by ${r.replyDue}` : ''}    Urgency: ${r.urgency}`);
  gap(6);
  line('To', 11, bold);
  line(`${r.to.name ?? `A ${r.to.specialty} specialist`}${r.to.organization ? `, ${r.to.organization}` : ''} (${r.to.specialty})`, 10, regular, 60);
  const contact = [r.to.phone && `Phone ${r.to.phone}`, r.to.fax && `Fax ${r.to.fax}`].filter(Boolean).join('    ');
  if (contact) line(contact, 10, regular, 60);
  if (r.to.address) line(r.to.address, 10, regular, 60);
  gap(6);
  line(`Patient: ${r.patient.name}`, 11, bold);
  line(`DOB ${r.patient.birthDate}    Sex ${r.patient.sex}    MRN ${r.patient.mrn}${r.patient.phone ? `    Phone ${r.patient.phone}` : ''}`, 10, regular, 60);
  gap(6);
  line('Reason for referral', 11, bold);
  for (const part of wrap(r.reason, 95)) line(part, 10, regular, 60);
  gap(4);
  list(
    'Diagnoses (ICD-10-CM)',
    r.diagnoses.map((d) => `${d.code} ${d.display ?? ''}`.trim()),
    'none given',
  );
  list('Active problems', r.problems, 'none recorded');
  list('Current medications', r.medications, 'none recorded');
  list('Allergies', r.allergies, 'not recorded');
  gap(8);
  line('Please send your consult note to us at the address above. Thank you for seeing this patient.', 10);
  gap(14);
  line(`${r.referring.name}    NPI ${r.referring.npi ?? 'not recorded'}`, 11, bold);
  line('Referring physician', 9);
  gap(6);
  line(`Referral ${r.referralId}. Printed ${r.printedAt}. Cairn.`, 8);
  return save();
}
