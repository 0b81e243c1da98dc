import { writeClaim } from './build-837p-claim';
import { address, digits, dmg, need, nm1Org, nm1Person, nm1Provider } from './build-parts';
import type { X12Delimiters } from './read';
import type { X12ClaimBatch, X12ClaimBill, X12Result } from './types';
import { type X12Writer, writeInterchange } from './write';
import { utcStamp } from './values';

/** The implementation guide Cairn's claims follow (GS08 and ST03). */
export const X12_837P_VERSION = '005010X222A1';
/** The guide recommends at most 5000 claims (CLM) per transaction set: a larger batch is split into several ST … SE. */
export const MAX_CLAIMS_PER_SET = 5000;

/** How to write: delimiters (default `*`, `^`, `:`, `~`) and whether a line break follows each terminator. */
export interface X12WriteOptions {
  delimiters?: X12Delimiters;
  lineBreaks?: boolean;
}

/**
 * Builds an 837P (005010X222A1) interchange for a batch of claims: 1000A submitter, 1000B receiver,
 * one 2000A billing provider, and per claim a 2000B subscriber (with 2000C patient when the patient
 * is not the subscriber), 2300 claim, 2310A/B/C providers, 2320/2330 prior payers and 2400 lines.
 *
 * Everything printed comes from the input (CLM07/CLM08/CLM09 included). Checks made here, each an
 * error value naming the claim and segment: CLM02 equals the sum of the lines; frequency 7 and 8
 * carry the payer's claim number; 1–12 diagnoses and pointers that point at one; a secondary
 * claim's prior payments balance (charge = paid + adjustments, per claim and per line).
 */
export function build837P(batch: X12ClaimBatch, options: X12WriteOptions = {}): X12Result<string> {
  if (batch.bills.length === 0) return { ok: false, error: { code: 'content', message: 'the batch has no claims; an 837P carries at least one CLM' } };
  const chunks: X12ClaimBill[][] = [];
  for (let k = 0; k < batch.bills.length; k += MAX_CLAIMS_PER_SET) chunks.push(batch.bills.slice(k, k + MAX_CLAIMS_PER_SET));
  const opts = { parties: batch.parties, envelope: batch.envelope, functionalId: 'HC', version: X12_837P_VERSION, ...options };
  return writeInterchange(
    opts,
    chunks.map((bills, k) => ({ id: '837', body: (w: X12Writer): void => writeBody(w, batch, bills, chunks.length > 1 ? `-${k + 1}` : '') })),
  );
}

function writeBody(w: X12Writer, batch: X12ClaimBatch, bills: X12ClaimBill[], suffix: string): void {
  const t = utcStamp(batch.envelope.createdAt);
  // BHT03 identifies this transaction to the submitter: the interchange control number is unique already.
  w.seg('BHT', '0019', '00', `${batch.envelope.interchangeControl}${suffix}`, t.d8, t.hhmm, 'CH');
  w.context = '1000A submitter';
  nm1Org(w, '41', batch.submitter.name, '46', batch.submitter.id);
  need(w, batch.submitter.contactName, 'submitter contact name');
  const phone = digits(batch.submitter.phone);
  if (phone.length < 10) w.fail(`contact phone "${batch.submitter.phone}" needs 10 digits`, 'PER');
  w.seg('PER', 'IC', batch.submitter.contactName, 'TE', phone);
  w.context = '1000B receiver';
  nm1Org(w, '40', batch.receiver.name, '46', batch.receiver.id);

  w.context = '2000A billing provider';
  w.seg('HL', '1', undefined, '20', '1');
  if (batch.billing.taxonomy) w.seg('PRV', 'BI', 'PXC', batch.billing.taxonomy);
  nm1Provider(w, '85', batch.billing);
  address(w, batch.billing.address, 'billing provider');
  const ein = digits(batch.billing.taxId);
  if (ein.length !== 9) w.fail(`tax id (EIN) "${batch.billing.taxId}" must be 9 digits`, 'REF');
  w.seg('REF', 'EI', ein);

  let hl = 2;
  for (const bill of bills) hl = writeBill(w, batch, bill, hl);
}

/** 2000B subscriber, 2000C patient when needed, then the claim; returns the next HL number. */
function writeBill(w: X12Writer, batch: X12ClaimBatch, bill: X12ClaimBill, hl: number): number {
  const sub = bill.subscriber;
  const patient = bill.patient;
  w.context = `claim ${JSON.stringify(bill.claim.patientControlNumber)}`;
  if (patient === undefined && sub.relationship !== '18') {
    w.fail(`the patient's relationship to the subscriber is ${sub.relationship}, but no patient is given (when the subscriber is the patient it is 18)`, 'SBR');
  }
  if (patient !== undefined && sub.relationship === '18') w.fail('a patient other than the subscriber is given, but the relationship is 18 (self)', 'PAT');
  if (!['P', 'S', 'T'].includes(bill.payerResponsibility)) w.fail(`SBR01 "${bill.payerResponsibility}" must be P, S or T`, 'SBR');

  w.seg('HL', String(hl), '1', '22', patient === undefined ? '0' : '1');
  need(w, sub.filingIndicator, 'subscriber claim filing indicator (SBR09)');
  w.seg(
    'SBR',
    bill.payerResponsibility,
    patient === undefined ? '18' : undefined,
    sub.groupNumber,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    sub.filingIndicator,
  );
  need(w, sub.memberId, 'subscriber member id');
  nm1Person(w, 'IL', sub.person, 'MI', sub.memberId);
  address(w, sub.address, 'subscriber');
  // The guide wants the subscriber's DMG only when the subscriber is the patient.
  if (patient === undefined) dmg(w, sub.birthDate, sub.sex, 'subscriber');
  need(w, bill.payer.payerId, 'payer id');
  nm1Org(w, 'PR', bill.payer.name, 'PI', bill.payer.payerId);
  address(w, bill.payer.address, 'payer');

  let next = hl + 1;
  if (patient !== undefined) {
    w.seg('HL', String(next), String(hl), '23', '0');
    w.seg('PAT', sub.relationship);
    nm1Person(w, 'QC', patient.person);
    address(w, patient.address, 'patient');
    dmg(w, patient.birthDate, patient.sex, 'patient');
    next++;
  }
  writeClaim(w, bill, batch.billing);
  return next;
}
