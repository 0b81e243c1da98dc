import type { PDFPage } from 'pdf-lib';
import { formatCents } from '../../../shared/domain/money';
import type { X12Address } from '../../../shared/x12/types';
import { GREY, paper, printDate, type Paper } from './billing-print';

export interface StatementEntry {
  /** YYYY-MM-DD (service date for a charge, posting date otherwise). */
  date: string;
  description: string;
  /** Positive: a charge; negative: a payment, adjustment or credit. */
  amountCents: number;
  /** Who paid or adjusted, when known: insurance payments are summed as "Insurance paid". */
  party?: 'insurance' | 'patient';
}

export interface StatementInput {
  clinic: { name: string; address?: string; phone?: string };
  patient: { name: string; mrn: string; address?: X12Address };
  statementDate: string;
  dueDate: string;
  entries: StatementEntry[];
  /** The patient's balance by age of the charge, in cents. */
  aging: { current: number; d31_60: number; d61_90: number; d91_120: number; over120: number };
  /** What the patient owes now (the amount due); negative is a credit. */
  balanceCents: number;
  /** Billed to insurance and not yet settled: not due from the patient yet. */
  insurancePendingCents: number;
}

const PAGE: [number, number] = [612, 792];
const L = 50;
const R = 562;
const ROW = 13;
/** Where the activity table may run to on the first page (the aging table, how-to-pay and the slip are below) and on the others. */
const FIRST_PAGE_END = 560;
const OTHER_PAGE_END = 740;

/**
 * A patient statement (letter pages) a person can read: who it is for, what is due and by when, what is still
 * with insurance, the activity that led to it, how old the balance is, how to pay, and a slip to send back.
 */
export async function statementPdf(input: StatementInput): Promise<Uint8Array> {
  const p = await paper(`Statement ${input.statementDate} - ${input.patient.name}`, PAGE);
  const first = p.addPage();
  heading(p, first, input);
  summary(p, first, input);
  const last = activity(p, first, input);
  if (last.page !== first) p.text(last.page, 'The amount due, how to pay and the payment slip are on page 1.', L, last.top + 20, { size: 9, color: GREY });
  aging(p, first, input);
  howToPay(p, first, input);
  slip(p, first, input);
  const pages = p.doc.getPages();
  pages.forEach((page, i) => p.text(page, `Page ${i + 1} of ${pages.length}`, R, 780, { size: 7, color: GREY, right: true }));
  return p.doc.save();
}

function heading(p: Paper, page: PDFPage, s: StatementInput): void {
  p.text(page, s.clinic.name, L, 50, { size: 15, bold: true, width: 300 });
  [s.clinic.address, s.clinic.phone]
    .filter((x): x is string => !!x)
    .forEach((line, i) => p.text(page, line, L, 66 + i * 12, { size: 9, color: GREY, width: 300 }));
  p.text(page, 'STATEMENT', R, 50, { size: 16, bold: true, right: true });
  p.text(page, `Statement date: ${printDate(s.statementDate)}`, R, 68, { size: 9, right: true });
  p.text(page, `Account (MRN): ${s.patient.mrn}`, R, 80, { size: 9, right: true });
  // Important: name and address sit where a standard #10 window envelope shows them.
  const a = s.patient.address;
  const lines = [s.patient.name, ...(a ? [a.line1, a.line2, `${a.city}, ${a.state} ${a.zip}`] : [])].filter((x): x is string => !!x);
  lines.forEach((line, i) => p.text(page, line, 72, 140 + i * 13, { size: 11, bold: i === 0, width: 250 }));
}

function summary(p: Paper, page: PDFPage, s: StatementInput): void {
  page.drawRectangle({ x: 340, y: PAGE[1] - 214, width: R - 340, height: 94, borderColor: GREY, borderWidth: 0.6 });
  const x = 350;
  if (s.balanceCents > 0) {
    p.text(page, 'Amount due', x, 136, { size: 10, color: GREY });
    p.text(page, formatCents(s.balanceCents), x, 162, { size: 22, bold: true });
    p.text(page, `Please pay by ${printDate(s.dueDate)}`, x, 178, { size: 10, bold: true });
  } else {
    p.text(page, 'Nothing is due', x, 140, { size: 14, bold: true });
    p.text(page, s.balanceCents < 0 ? `You have a credit of ${formatCents(-s.balanceCents)}.` : 'Your balance is $0.00. Thank you.', x, 158, { size: 10 });
  }
  const insurancePaid = -s.entries.filter((e) => e.party === 'insurance' && e.amountCents < 0).reduce((sum, e) => sum + e.amountCents, 0);
  const lines = [
    ...(s.entries.some((e) => e.party) ? [`Insurance paid or adjusted: ${formatCents(insurancePaid)}`] : []),
    `Waiting on insurance: ${formatCents(s.insurancePendingCents)}${s.insurancePendingCents > 0 ? ' (not due from you yet)' : ''}`,
  ];
  lines.forEach((line, i) => p.text(page, line, x, 194 + i * 10, { size: 8, color: GREY }));
}

const COLS = { date: L, description: L + 80, charges: 450, credits: R };

/** The activity table; returns where it ended (it continues on new pages when long). */
function activity(p: Paper, first: PDFPage, s: StatementInput): { page: PDFPage; top: number } {
  let page = first;
  let top = 240;
  let end = FIRST_PAGE_END;
  const header = (): void => {
    p.text(page, 'Account activity', L, top, { size: 11, bold: true });
    top += 16;
    p.text(page, 'Date', COLS.date, top, { size: 8, bold: true });
    p.text(page, 'Description', COLS.description, top, { size: 8, bold: true });
    p.text(page, 'Charges', COLS.charges, top, { size: 8, bold: true, right: true });
    p.text(page, 'Payments and credits', COLS.credits, top, { size: 8, bold: true, right: true });
    p.rule(page, L, R, top + 4);
    top += ROW + 2;
  };
  header();
  if (s.entries.length === 0) p.text(page, 'No activity since the last statement.', COLS.description, top, { size: 9, color: GREY });
  for (const e of s.entries) {
    if (top > end) {
      p.text(page, 'Continued on the next page', R, top, { size: 8, color: GREY, right: true });
      page = p.addPage();
      top = 50;
      end = OTHER_PAGE_END;
      p.text(page, `${s.clinic.name} - statement of ${printDate(s.statementDate)} for ${s.patient.name} (${s.patient.mrn}), continued`, L, top, {
        size: 8,
        color: GREY,
      });
      top += 24;
      header();
    }
    p.text(page, printDate(e.date), COLS.date, top, { size: 9 });
    p.text(page, e.description, COLS.description, top, { size: 9, width: COLS.charges - COLS.description - 60 });
    p.text(page, formatCents(e.amountCents), e.amountCents >= 0 ? COLS.charges : COLS.credits, top, { size: 9, right: true });
    top += ROW;
  }
  const charges = s.entries.filter((e) => e.amountCents > 0).reduce((sum, e) => sum + e.amountCents, 0);
  const credits = s.entries.filter((e) => e.amountCents < 0).reduce((sum, e) => sum + e.amountCents, 0);
  p.rule(page, L, R, top - 9);
  p.text(page, 'Totals on this statement', COLS.description, top + 2, { size: 9, bold: true });
  p.text(page, formatCents(charges), COLS.charges, top + 2, { size: 9, bold: true, right: true });
  p.text(page, formatCents(credits), COLS.credits, top + 2, { size: 9, bold: true, right: true });
  return { page, top: top + 2 };
}

function aging(p: Paper, page: PDFPage, s: StatementInput): void {
  const top = 592;
  const buckets: [string, number][] = [
    ['Current (0-30 days)', s.aging.current],
    ['31-60 days', s.aging.d31_60],
    ['61-90 days', s.aging.d61_90],
    ['91-120 days', s.aging.d91_120],
    ['Over 120 days', s.aging.over120],
  ];
  p.text(page, 'Your balance by age', L, top, { size: 9, bold: true });
  const w = (R - L) / buckets.length;
  buckets.forEach(([label, cents], i) => {
    p.text(page, label, L + w * (i + 1) - 6, top + 14, { size: 8, color: GREY, right: true });
    p.text(page, formatCents(cents), L + w * (i + 1) - 6, top + 26, { size: 9, right: true });
  });
}

function howToPay(p: Paper, page: PDFPage, s: StatementInput): void {
  const top = 640;
  const ways = [
    'In person at the front desk: cash, check or card.',
    `By mail: a check payable to ${s.clinic.name}${s.clinic.address ? `, ${s.clinic.address}` : ''}, with the slip below.`,
    ...(s.clinic.phone ? [`By phone with a card: call ${s.clinic.phone}. Questions about this statement? Call the same number.`] : []),
  ];
  p.text(page, 'How to pay', L, top, { size: 9, bold: true });
  ways.forEach((w, i) => p.text(page, `- ${w}`, L + 6, top + 12 + i * 11, { size: 8.5, width: R - L - 6 }));
  p.text(page, `Write your account number ${s.patient.mrn} on your check.`, L + 6, top + 12 + ways.length * 11, { size: 8.5 });
}

function slip(p: Paper, page: PDFPage, s: StatementInput): void {
  const top = 702;
  p.rule(page, L - 20, R + 20, top, true);
  p.text(page, 'Please detach and return this part with your payment.', L, top + 12, { size: 8, color: GREY });
  const cells: [string, string][] = [
    ['Patient', s.patient.name],
    ['Account (MRN)', s.patient.mrn],
    ['Due by', printDate(s.dueDate)],
    ['Amount due', formatCents(Math.max(0, s.balanceCents))],
    ['Amount enclosed', '$ ____________'],
  ];
  const w = (R - L) / cells.length;
  cells.forEach(([label, value], i) => {
    p.text(page, label, L + w * i, top + 30, { size: 8, color: GREY });
    p.text(page, value, L + w * i, top + 44, { size: 10, bold: i === 3, width: w - 6 });
  });
  p.text(page, `Make checks payable to ${s.clinic.name}.`, L, top + 62, { size: 8, color: GREY });
}
