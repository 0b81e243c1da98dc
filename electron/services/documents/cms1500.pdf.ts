import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { cms1500Form, type Cms1500Form, type Cms1500Input, type FormAddress, type FormLine } from './cms1500.fields';
import { dollarsAndCents, Sheet, type Box } from './cms1500.sheet';
import { printable } from './pdf-text';

export type { Cms1500Input } from './cms1500.fields';

/*
 * The CMS-1500 (02/12) professional claim on letter paper. The official red form's artwork is not copied: this is
 * Cairn's own grid with the official box numbers, short labels and the NUCC rules for what goes in each box
 * (cms1500.fields.ts). Six service lines a page; a longer claim continues on more pages, each a complete form,
 * with "CONTINUED" in box 28 on all but the last, which carries the claim's totals (NUCC instruction for 24 and 28).
 */

const X0 = 24; // left edge
const XA = 250; // end of the patient column
const XB = 366; // end of the middle column
const X3 = 588; // right edge
const W = X3 - X0;
const YES_NO = ['YES', 'NO'];
const PROGRAMS = [
  ['MEDICARE', 'medicare'],
  ['MEDICAID', 'medicaid'],
  ['TRICARE', 'tricare'],
  ['CHAMPVA', 'champva'],
  ['GROUP HEALTH PLAN', 'group'],
  ['FECA BLK LUNG', 'feca'],
  ['OTHER', 'other'],
] as const;
const SEX = ['M', 'F'];

/** The claim as CMS-1500 (02/12) pages: letter size, six service lines a page. */
export async function cms1500Pdf(input: Cms1500Input): Promise<Uint8Array> {
  const form = cms1500Form(input);
  const doc = await PDFDocument.create();
  doc.setTitle(printable(`CMS-1500 claim ${input.bill.claim.patientControlNumber}`));
  doc.setCreator('Cairn');
  const label = await doc.embedFont(StandardFonts.Helvetica);
  const value = await doc.embedFont(StandardFonts.Courier);
  const title = await doc.embedFont(StandardFonts.HelveticaBold);
  form.pages.forEach((lines, i) => {
    const sheet = new Sheet(doc.addPage([612, 792]), label, value);
    const last = i === form.pages.length - 1;
    header(sheet, form, i + 1, form.pages.length, title);
    patientAndInsured(sheet, form);
    claimInformation(sheet, form);
    serviceLines(sheet, lines);
    provider(sheet, form, last);
  });
  return doc.save();
}

function header(s: Sheet, f: Cms1500Form, page: number, pages: number, bold: PDFFont): void {
  s.page.drawText('HEALTH INSURANCE CLAIM FORM', { x: X0, y: 792 - 66, size: 12, font: bold });
  s.text('APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12', X0, 76, 5.5, 'label');
  s.text(`PAGE ${page} OF ${pages}`, X0, 34, 8, 'value');
  f.carrier.forEach((line, i) => s.text(line, 330, 30 + i * 11, 9, 'value', X3 - 330));
  s.text(
    'Layout drawn by Cairn after the CMS-1500 (02/12); box instructions: NUCC 1500 Claim Form Reference Instruction Manual, www.nucc.org',
    X0,
    756,
    6,
    'label',
  );
}

/** Where each part of an address goes in boxes 5 and 7: street, city | state, zip | telephone. */
function address(s: Sheet, x: number, w: number, a: FormAddress | null): void {
  const split = x + w - 44;
  s.put(s.box('CITY', x, 160, split - x, 24), a?.city ?? '');
  s.put(s.box('STATE', split, 160, 44, 24), a?.state ?? '');
  s.put(s.box('ZIP CODE', x, 184, split - 40 - x, 24), a?.zip ?? '');
  s.put(s.box('TELEPHONE', split - 40, 184, 84, 24), a?.phone ?? '', 4, 20, 8);
}

function patientAndInsured(s: Sheet, f: Cms1500Form): void {
  const b1 = s.box('1. PROGRAM', X0, 88, XB - X0, 24);
  s.checks(
    b1,
    PROGRAMS.map(([name]) => name),
    PROGRAMS.find(([, p]) => p === f.program)![0],
    4,
  );
  s.put(s.box("1a. INSURED'S I.D. NUMBER (For Program in Item 1)", XB, 88, X3 - XB, 24), f.insuredId);
  s.put(s.box("2. PATIENT'S NAME (Last Name, First Name, Middle Initial)", X0, 112, XA - X0, 24), f.patient.name);
  const b3 = s.box("3. PATIENT'S BIRTH DATE       SEX", XA, 112, XB - XA, 24);
  s.put(b3, f.patient.birth, 3, 20, 8);
  s.checks(b3, SEX, f.patient.sex, 66, 6);
  s.put(s.box("4. INSURED'S NAME (Last Name, First Name, Middle Initial)", XB, 112, X3 - XB, 24), f.insured.name);
  s.put(s.box("5. PATIENT'S ADDRESS (No., Street)", X0, 136, XA - X0, 24), f.patient.address?.street ?? '');
  address(s, X0, XA - X0, f.patient.address);
  s.checks(s.box('6. PATIENT RELATIONSHIP TO INSURED', XA, 136, XB - XA, 24), ['SELF', 'SPOUSE', 'CHILD', 'OTHER'], f.patient.relationship, 2, 2.5);
  s.put(s.box("7. INSURED'S ADDRESS (No., Street)", XB, 136, X3 - XB, 24), f.insured.address?.street ?? '');
  address(s, XB, X3 - XB, f.insured.address);
  s.box('8. RESERVED FOR NUCC USE', XA, 160, XB - XA, 48);
  s.put(s.box("9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)", X0, 208, XA - X0, 24), f.other?.name ?? '');
  s.put(s.box("9a. OTHER INSURED'S POLICY OR GROUP NUMBER", X0, 232, XA - X0, 24), f.other?.policy ?? '');
  s.box('9b. RESERVED FOR NUCC USE', X0, 256, XA - X0, 24);
  s.box('9c. RESERVED FOR NUCC USE', X0, 280, XA - X0, 24);
  s.put(s.box('9d. INSURANCE PLAN NAME OR PROGRAM NAME', X0, 304, XA - X0, 24), f.other?.plan ?? '');
  // Cairn records no accident or employment cause for a visit: 10a-c say NO, as the 837P sends no CLM11.
  s.box("10. IS PATIENT'S CONDITION RELATED TO:", XA, 208, XB - XA, 8);
  s.checks(s.box('10a. EMPLOYMENT? (Current or Previous)', XA, 216, XB - XA, 28), YES_NO, 'NO', 30, 20);
  s.checks(s.box('10b. AUTO ACCIDENT?         PLACE (State)', XA, 244, XB - XA, 28), YES_NO, 'NO', 30, 20);
  s.checks(s.box('10c. OTHER ACCIDENT?', XA, 272, XB - XA, 32), YES_NO, 'NO', 30, 20);
  s.box('10d. CLAIM CODES\n(Designated by NUCC)', XA, 304, XB - XA, 24);
  s.put(s.box("11. INSURED'S POLICY GROUP OR FECA NUMBER", XB, 208, X3 - XB, 24), f.insured.group);
  const b11a = s.box("11a. INSURED'S DATE OF BIRTH                      SEX", XB, 232, X3 - XB, 24);
  s.put(b11a, f.insured.birth, 4, 20, 8);
  s.checks(b11a, SEX, f.insured.sex, 150, 12);
  s.box('11b. OTHER CLAIM ID (Designated by NUCC)', XB, 256, X3 - XB, 24);
  s.put(s.box('11c. INSURANCE PLAN NAME OR PROGRAM NAME', XB, 280, X3 - XB, 24), f.insured.plan);
  s.checks(s.box('11d. IS THERE ANOTHER HEALTH BENEFIT PLAN?', XB, 304, X3 - XB, 24), YES_NO, f.other ? 'YES' : 'NO', 30, 20);
}

function claimInformation(s: Sheet, f: Cms1500Form): void {
  const b12 = s.box("12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize the release of information to process this claim.", X0, 328, XB - X0, 30);
  s.put(b12, f.patientSignature ? 'SIGNATURE ON FILE' : '', 4, 25);
  s.caption(b12, 'DATE', 230, 25);
  s.put(b12, f.patientSignature ?? '', 250, 25);
  const b13 = s.box(
    "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize\npayment of medical benefits to the physician or supplier.",
    XB,
    328,
    X3 - XB,
    30,
  );
  s.put(b13, f.insuredSignature ? 'SIGNATURE ON FILE' : '', 4, 25);
  s.box('14. DATE OF CURRENT ILLNESS, INJURY, OR PREGNANCY (LMP)', X0, 358, XA - X0, 22);
  s.box('15. OTHER DATE', XA, 358, XB - XA, 22);
  s.box('16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION', XB, 358, X3 - XB, 22);
  s.put(s.box('17. NAME OF REFERRING PROVIDER OR OTHER SOURCE', X0, 380, XA - X0, 22), f.referring ? `DN ${f.referring.name}` : '');
  s.box('17a.', XA, 380, XB - XA, 11, true);
  s.put(s.box('17b. NPI', XA, 391, XB - XA, 11), f.referring?.npi ?? '', 28, 9, 8);
  s.box('18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES', XB, 380, X3 - XB, 22);
  s.box('19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)', X0, 402, XB - X0, 22);
  s.box('20. OUTSIDE LAB?            $ CHARGES', XB, 402, X3 - XB, 22);
  const b21 = s.box('21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY  Relate A-L to service line below (24E)', X0, 424, XB - X0, 50);
  s.caption(b21, 'ICD Ind.', 262, 6);
  s.put(b21, '0', 290, 7, 7);
  f.diagnoses.forEach((code, i) => {
    const dx = 4 + (i % 4) * 85;
    const dy = 19 + Math.floor(i / 4) * 12;
    s.caption(b21, `${'ABCDEFGHIJKL'[i]}.`, dx, dy);
    s.put(b21, code, dx + 8, dy, 8.5);
  });
  const b22 = s.box('22. RESUBMISSION CODE          ORIGINAL REF. NO.', XB, 424, X3 - XB, 24);
  s.put(b22, f.resubmission?.code ?? '');
  s.put(b22, f.resubmission?.originalRef ?? '', 80);
  s.box('23. PRIOR AUTHORIZATION NUMBER', XB, 448, X3 - XB, 26);
}

// 24's columns: left edge and width of A-from, A-to, B, C, D-code, D-modifiers, E, F, G, H, I, J.
const COL = { from: 24, to: 71, pos: 118, emg: 146, cpt: 164, mod: 206, ptr: 270, chg: 306, cents: 350, units: 366, epsdt: 392, qual: 416, npi: 440 };
const LINE_TOP = 496;
const LINE_H = 26;

function serviceLines(s: Sheet, lines: FormLine[]): void {
  const head = (label: string, x: number, w: number): Box => s.box(label, x, 474, w, 22);
  head('24A. DATE(S) OF SERVICE\nFrom  MM DD YY     To  MM DD YY', COL.from, COL.pos - COL.from);
  head('24B.\nPLACE OF\nSERVICE', COL.pos, COL.emg - COL.pos);
  head('24C.\nEMG', COL.emg, COL.cpt - COL.emg);
  head('24D. PROCEDURES, SERVICES,\nOR SUPPLIES\nCPT/HCPCS       MODIFIER', COL.cpt, COL.ptr - COL.cpt);
  head('24E.\nDIAGNOSIS\nPOINTER', COL.ptr, COL.chg - COL.ptr);
  head('24F.\n$ CHARGES', COL.chg, COL.units - COL.chg);
  head('24G.\nDAYS OR\nUNITS', COL.units, COL.epsdt - COL.units);
  head('24H.\nEPSDT\nFamily', COL.epsdt, COL.qual - COL.epsdt);
  head('24I.\nID.\nQUAL.', COL.qual, COL.npi - COL.qual);
  head('24J. RENDERING\nPROVIDER ID. #', COL.npi, X3 - COL.npi);
  const rows: Box[] = [0, 1, 2, 3, 4, 5].map((i) => ({ x: X0, top: LINE_TOP + i * LINE_H, w: W, h: LINE_H }));
  rows.forEach((r, i) => {
    s.shade(r.x, r.top, r.w, 11);
    s.box('', r.x, r.top, r.w, r.h);
    s.caption(r, 'NPI', COL.qual - X0 + 4, 23);
    if (lines[i]) serviceLine(s, lines[i], r);
  });
  for (const x of Object.values(COL).slice(1)) s.rule(x, LINE_TOP, LINE_H * 6);
}

function serviceLine(s: Sheet, l: FormLine, row: Box): void {
  const at = (x: number): number => x - X0 + 3;
  s.put(row, l.supplemental, at(COL.from), 9, 7.5);
  if (l.renderingTaxonomy) {
    s.put(row, 'ZZ', at(COL.qual), 9, 7.5);
    s.put(row, l.renderingTaxonomy, at(COL.npi), 9, 7.5);
  }
  s.put(row, l.from, at(COL.from) - 1, 23, 8);
  s.put(row, l.to, at(COL.to) - 1, 23, 8);
  s.put(row, l.pos, at(COL.pos), 23, 8.5);
  s.put(row, l.cpt, at(COL.cpt), 23, 8.5);
  l.modifiers.forEach((m, k) => s.put(row, m, at(COL.mod) + k * 16 - 2, 23, 8.5));
  s.put(row, l.pointers, at(COL.ptr), 23, 8.5);
  const [dollars, cents] = dollarsAndCents(l.chargeCents);
  s.putRight(row, dollars, COL.cents - X0 - 2, 23, 8.5);
  s.put(row, cents, at(COL.cents) - 1, 23, 8.5);
  s.put(row, l.units, at(COL.units), 23, 8.5);
  s.put(row, l.renderingNpi, at(COL.npi), 23, 8.5);
}

function money(s: Sheet, b: Box, cents: number | null): void {
  s.caption(b, '$', 3, b.h - 4, 7);
  s.rule(b.x + b.w - 16, b.top + 8, b.h - 8);
  if (cents === null) return;
  const [dollars, c] = dollarsAndCents(cents);
  s.putRight(b, dollars, b.w - 18);
  s.put(b, c, b.w - 14);
}

function provider(s: Sheet, f: Cms1500Form, last: boolean): void {
  const b25 = s.box('25. FEDERAL TAX I.D. NUMBER', X0, 652, 146, 26);
  s.put(b25, f.taxId);
  s.checks(b25, ['SSN', 'EIN'], 'EIN', 96, 4, 12);
  s.put(s.box("26. PATIENT'S ACCOUNT NO.", 170, 652, 120, 26), f.accountNumber);
  s.checks(s.box('27. ACCEPT ASSIGNMENT?', 290, 652, XB - 290, 26), YES_NO, f.acceptAssignment ? 'YES' : 'NO', 6, 16);
  const b28 = s.box('28. TOTAL CHARGE', XB, 652, 84, 26);
  if (last) money(s, b28, f.totalCents);
  else s.put(b28, 'CONTINUED', 6, 21, 8);
  money(s, s.box('29. AMOUNT PAID', 450, 652, 80, 26), last ? f.paidCents : null);
  s.box('30. Rsvd for\nNUCC Use', 530, 652, X3 - 530, 26);
  const b31 = s.box('31. SIGNATURE OF PHYSICIAN OR SUPPLIER\nINCLUDING DEGREES OR CREDENTIALS', X0, 678, 146, 66);
  s.put(b31, f.providerSignature ? 'SIGNATURE ON FILE' : '', 4, 40, 8);
  s.caption(b31, 'DATE', 4, 60);
  s.put(b31, f.providerSignature ?? '', 24, 60, 8);
  const b32 = s.box('32. SERVICE FACILITY LOCATION INFORMATION', 170, 678, 210, 52);
  f.facility?.lines.forEach((line, i) => s.put(b32, line, 4, 20 + i * 10, 8.5));
  s.put(s.box('32a. NPI', 170, 730, 105, 14), f.facility?.npi ?? '', 26, 11, 8.5);
  s.box('32b.', 275, 730, 105, 14, true);
  const b33 = s.box('33. BILLING PROVIDER INFO & PH #', 380, 678, X3 - 380, 52);
  s.put(b33, f.billing.phone, 112, 9, 8);
  f.billing.lines.forEach((line, i) => s.put(b33, line, 4, 20 + i * 10, 8.5));
  s.put(s.box('33a. NPI', 380, 730, 104, 14), f.billing.npi, 26, 11, 8.5);
  s.put(s.box('33b.', 484, 730, X3 - 484, 14, true), f.billing.taxonomy ? `ZZ${f.billing.taxonomy}` : '', 16, 11, 8);
}
