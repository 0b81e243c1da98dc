import { formatCents } from '../../../shared/domain/money';
import { GREY, paper, printDate, printDateTime } from './billing-print';

export interface ReceiptInput {
  clinic: { name: string; address?: string; phone?: string };
  patient: { name: string; mrn: string };
  receiptNumber: string;
  payment: {
    amountCents: number;
    method: 'cash' | 'check' | 'card' | 'other';
    /** Check number, the card's last digits or a transaction id. */
    reference?: string;
    /** ISO time; printed in the zone it carries. */
    receivedAt: string;
    receivedBy: string;
  };
  /** YYYY-MM-DD of the visit the payment is for (a copay). */
  visitDate?: string;
  /** The patient's balance after this payment: negative is a credit. */
  balanceAfterCents: number;
}

const METHOD = { cash: 'Cash', check: 'Check', card: 'Card', other: 'Other' } as const;
const REFERENCE = { cash: 'reference', check: 'no.', card: 'ref.', other: 'reference' } as const;

/** How the patient paid, as a person reads it: "Check no. 1042", "Card ref. 4242", "Cash". */
export function paymentMethod(p: ReceiptInput['payment']): string {
  return p.reference ? `${METHOD[p.method]} ${REFERENCE[p.method]} ${p.reference}` : METHOD[p.method];
}

/** What the balance line says after the payment: owed, paid in full, or a credit. */
export function balanceLine(cents: number): string {
  if (cents > 0) return `Balance still owed on your account: ${formatCents(cents)}`;
  if (cents < 0) return `Credit on your account: ${formatCents(-cents)}`;
  return 'Your account is paid in full: balance $0.00';
}

/** A payment receipt for the patient (half a letter page), printed when a copay or payment is taken. */
export async function receiptPdf(input: ReceiptInput): Promise<Uint8Array> {
  const { clinic, patient, payment } = input;
  const p = await paper(`Receipt ${input.receiptNumber} - ${patient.name}`, [612, 396]);
  const page = p.addPage();
  p.text(page, clinic.name, 40, 44, { size: 14, bold: true, width: 330 });
  const contact = [clinic.address, clinic.phone].filter((s): s is string => !!s);
  contact.forEach((line, i) => p.text(page, line, 40, 60 + i * 12, { size: 9, color: GREY, width: 330 }));
  p.text(page, 'PAYMENT RECEIPT', 572, 44, { size: 13, bold: true, right: true });
  p.text(page, `Receipt no. ${input.receiptNumber}`, 572, 60, { size: 10, right: true });
  p.rule(page, 40, 572, 96);

  const rows: [string, string][] = [
    ['Received from', patient.name],
    ['Account (MRN)', patient.mrn],
    ['Date received', printDateTime(payment.receivedAt)],
    ...(input.visitDate ? ([['For the visit of', printDate(input.visitDate)]] as [string, string][]) : []),
    ['Payment method', paymentMethod(payment)],
    ['Received by', payment.receivedBy],
  ];
  rows.forEach(([label, value], i) => {
    p.text(page, label, 40, 120 + i * 17, { size: 10, color: GREY });
    p.text(page, value, 150, 120 + i * 17, { size: 11, width: 230 });
  });
  p.text(page, 'Amount paid', 572, 124, { size: 10, color: GREY, right: true });
  p.text(page, formatCents(payment.amountCents), 572, 152, { size: 24, bold: true, right: true });

  p.rule(page, 40, 572, 128 + rows.length * 17);
  p.text(page, balanceLine(input.balanceAfterCents), 40, 148 + rows.length * 17, { size: 11, bold: true });
  const questions = clinic.phone ? ` Questions about your bill? Call ${clinic.phone}.` : '';
  p.text(page, `Thank you. Please keep this receipt for your records.${questions}`, 40, 356, { size: 9, color: GREY });
  return p.doc.save();
}
