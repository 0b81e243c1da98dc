import { writePriorPayers, writePriorLine } from './build-837p-cob';
import { address, nm1Provider } from './build-parts';
import type { X12Claim, X12ClaimBill, X12Provider, X12ServiceLine } from './types';
import type { X12Writer } from './write';

/** 2300 claim, 2310A/B/C providers, 2320/2330 prior payers, 2400 lines (with 2410 drug and 2430 prior adjudication). */
export function writeClaim(w: X12Writer, bill: X12ClaimBill, billing: X12Provider): void {
  const c = bill.claim;
  checkClaim(w, c);
  w.seg(
    'CLM',
    c.patientControlNumber,
    w.money(c.totalChargeCents, 'total charge'),
    undefined,
    undefined,
    [c.placeOfService, 'B', c.frequency],
    c.providerSignature ? 'Y' : 'N',
    c.assignment,
    c.benefitsAssigned,
    c.releaseOfInformation,
  );
  if (c.frequency !== '1') w.seg('REF', 'F8', c.payerClaimNumber);
  w.seg('HI', ...c.diagnoses.map((dx, k) => [k === 0 ? 'ABK' : 'ABF', diagnosisCode(w, dx)]));

  if (c.referring !== undefined) nm1Provider(w, 'DN', c.referring);
  // 2310B only when someone other than the billing provider rendered the service.
  if (c.rendering !== undefined && c.rendering.npi !== billing.npi) {
    nm1Provider(w, '82', c.rendering);
    if (c.rendering.taxonomy) w.seg('PRV', 'PE', 'PXC', c.rendering.taxonomy);
  }
  // 2310C only when it is not the billing provider's own address (payers reject the same place printed twice).
  if (c.serviceFacility !== undefined && !samePlace(c.serviceFacility, billing)) {
    if (c.serviceFacility.address === undefined) w.fail('the service facility (2310C) needs an address', 'N3');
    nm1Provider(w, '77', { ...c.serviceFacility, person: undefined });
    address(w, c.serviceFacility.address, 'service facility');
  }
  writePriorPayers(w, bill);
  c.lines.forEach((line, k) => writeLine(w, c, line, k + 1));
}

function checkClaim(w: X12Writer, c: X12Claim): void {
  if (!/^[A-Za-z0-9-]{1,20}$/.test(c.patientControlNumber)) w.fail('CLM01 patient control number must be 1–20 letters, digits or hyphens', 'CLM');
  if (!['1', '7', '8'].includes(c.frequency)) w.fail(`claim frequency "${c.frequency}" must be 1 (original), 7 (replacement) or 8 (void)`, 'CLM');
  if (c.frequency !== '1' && !c.payerClaimNumber) {
    w.fail(`a ${c.frequency === '7' ? 'replacement' : 'void'} claim (frequency ${c.frequency}) needs the payer's claim number for REF*F8`, 'REF');
  }
  if (!/^\d{2}$/.test(c.placeOfService)) w.fail(`place of service "${c.placeOfService}" must be 2 digits (11 office, 02/10 telehealth)`, 'CLM');
  if (c.diagnoses.length < 1 || c.diagnoses.length > 12) w.fail(`a claim has 1 to 12 diagnoses, not ${c.diagnoses.length}`, 'HI');
  if (c.lines.length < 1 || c.lines.length > 50) w.fail(`a claim has 1 to 50 service lines, not ${c.lines.length}`, 'LX');
  const sum = c.lines.reduce((n, l) => n + l.chargeCents, 0);
  if (sum !== c.totalChargeCents) {
    w.fail(`CLM02 total charge ${w.money(c.totalChargeCents, 'total charge')} is not the sum of its lines ${w.money(sum, 'sum of the lines')}`, 'CLM');
  }
}

function diagnosisCode(w: X12Writer, dx: string): string {
  const code = dx.replace('.', '').toUpperCase();
  if (!/^[A-Z][0-9A-Z]{2,6}$/.test(code)) w.fail(`diagnosis "${dx}" is not an ICD-10-CM code`, 'HI');
  return code;
}

function writeLine(w: X12Writer, c: X12Claim, line: X12ServiceLine, n: number): void {
  const what = `line ${n}`;
  if (!/^[A-Z0-9]{5}$/.test(line.procedureCode)) w.fail(`${what}: procedure "${line.procedureCode}" is not a CPT/HCPCS code (5 letters or digits)`, 'SV1');
  if (line.modifiers.length > 4) w.fail(`${what}: at most 4 modifiers, not ${line.modifiers.length}`, 'SV1');
  const pointers = line.diagnosisPointers;
  if (pointers.length < 1 || pointers.length > 4) w.fail(`${what}: 1 to 4 diagnosis pointers, not ${pointers.length}`, 'SV1');
  for (const p of pointers) {
    if (!Number.isInteger(p) || p < 1 || p > c.diagnoses.length)
      w.fail(`${what}: diagnosis pointer ${p} points at no diagnosis (the claim has ${c.diagnoses.length})`, 'SV1');
  }
  w.seg('LX', String(n));
  const pos = line.placeOfService !== undefined && line.placeOfService !== c.placeOfService ? line.placeOfService : undefined;
  w.seg(
    'SV1',
    ['HC', line.procedureCode, ...line.modifiers],
    w.money(line.chargeCents, `${what} charge`),
    'UN',
    w.quantity(line.units, `${what} units`),
    pos,
    undefined,
    pointers.map(String),
  );
  w.seg('DTP', '472', 'D8', w.date(line.serviceDate, `${what} service date`));
  if (line.ndc !== undefined) {
    const ndc = line.ndc.code.replace(/-/g, '');
    if (!/^\d{11}$/.test(ndc)) w.fail(`${what}: NDC "${line.ndc.code}" must be 11 digits (5-4-2)`, 'LIN');
    w.seg('LIN', undefined, 'N4', ndc);
    w.seg('CTP', undefined, undefined, undefined, w.quantity(line.ndc.quantity, `${what} NDC quantity`), line.ndc.unit);
  }
  for (const prior of c.priorPayments ?? []) {
    for (const adjudicated of prior.lines ?? []) if (adjudicated.lineNumber === n) writePriorLine(w, prior, adjudicated, line);
  }
}

function samePlace(facility: X12Provider, billing: X12Provider): boolean {
  const a = facility.address;
  const b = billing.address;
  if (facility.npi !== billing.npi || a === undefined || b === undefined) return false;
  const norm = (s: string | undefined): string => (s ?? '').trim().toUpperCase();
  return (
    norm(a.line1) === norm(b.line1) && norm(a.line2) === norm(b.line2) && norm(a.city) === norm(b.city) && norm(a.zip.slice(0, 5)) === norm(b.zip.slice(0, 5))
  );
}
