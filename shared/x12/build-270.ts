import type { X12WriteOptions } from './build-837p';
import { digits, dmg, need, nm1Org, nm1Person, nm1Provider } from './build-parts';
import type { X12EligibilityInquiry, X12Result } from './types';
import { type X12Writer, writeInterchange } from './write';
import { utcStamp } from './values';

/** The implementation guide of Cairn's eligibility inquiries (GS08 and ST03). */
export const X12_270_VERSION = '005010X279A1';

/**
 * Builds a 270 eligibility inquiry (005010X279A1): 2000A payer, 2000B provider, 2000C subscriber
 * and, for a dependent, 2000D. The patient's level (the subscriber's, or the dependent's) carries
 * the trace number (TRN), demographics (DMG), the date of service (DTP*291) and the benefit
 * questions (EQ, default 30 "health benefit plan coverage"), as the guide places them.
 */
export function build270(inquiry: X12EligibilityInquiry, options: X12WriteOptions = {}): X12Result<string> {
  const opts = { parties: inquiry.parties, envelope: inquiry.envelope, functionalId: 'HS', version: X12_270_VERSION, ...options };
  return writeInterchange(opts, [{ id: '270', body: (w: X12Writer): void => writeBody(w, inquiry) }]);
}

function writeBody(w: X12Writer, q: X12EligibilityInquiry): void {
  const t = utcStamp(q.envelope.createdAt);
  need(w, q.reference, 'BHT03 reference');
  w.seg('BHT', '0022', '13', q.reference, t.d8, t.hhmm);
  w.context = '2000A payer';
  w.seg('HL', '1', undefined, '20', '1');
  need(w, q.payer.payerId, 'payer id');
  nm1Org(w, 'PR', q.payer.name, 'PI', q.payer.payerId);
  w.context = '2000B provider';
  w.seg('HL', '2', '1', '21', '1');
  nm1Provider(w, '1P', q.provider);

  w.context = '2000C subscriber';
  const dep = q.dependent;
  w.seg('HL', '3', '2', '22', dep === undefined ? '0' : '1');
  if (dep === undefined) trace(w, q);
  need(w, q.subscriber.memberId, 'subscriber member id');
  nm1Person(w, 'IL', q.subscriber.person, 'MI', q.subscriber.memberId);
  if (q.subscriber.groupNumber) w.seg('REF', '6P', q.subscriber.groupNumber);
  if (dep === undefined) {
    dmg(w, q.subscriber.birthDate, q.subscriber.sex, 'subscriber');
    questions(w, q);
    return;
  }
  w.context = '2000D dependent';
  w.seg('HL', '4', '3', '23', '0');
  trace(w, q);
  nm1Person(w, '03', dep.person);
  dmg(w, dep.birthDate, dep.sex, 'dependent');
  if (dep.relationship) w.seg('INS', 'N', dep.relationship);
  questions(w, q);
}

/** TRN*1: our trace number, echoed back in the 271; TRN03 "1" + EIN, or "9" (user assigned) + NPI digits. */
function trace(w: X12Writer, q: X12EligibilityInquiry): void {
  const ein = digits(q.provider.taxId ?? '');
  w.seg('TRN', '1', q.reference, ein.length === 9 ? `1${ein}` : `9${q.provider.npi.slice(0, 9)}`);
}

function questions(w: X12Writer, q: X12EligibilityInquiry): void {
  w.seg('DTP', '291', 'D8', w.date(q.serviceDate, 'service date'));
  const types = q.serviceTypes ?? ['30'];
  if (types.length === 0) w.fail('at least one service type (EQ01) is needed', 'EQ');
  for (const type of types) {
    if (!/^[A-Z0-9]{1,2}$/.test(type)) w.fail(`service type "${type}" is not an EQ01 code`, 'EQ');
    w.seg('EQ', type);
  }
}
