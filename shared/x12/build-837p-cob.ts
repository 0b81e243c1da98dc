import { adjustmentTotal, cas, need, nm1Org, nm1Person } from './build-parts';
import type { X12ClaimBill, X12PriorPayment, X12ServiceLine } from './types';
import type { X12Writer } from './write';

type PriorLine = NonNullable<X12PriorPayment['lines']>[number];

/**
 * 2320 other subscriber information, 2330A other subscriber and 2330B other payer, once per payer
 * that adjudicated the claim before this one (on a secondary claim: the primary; on a tertiary:
 * the primary and the secondary, in that order).
 *
 * Important: payers reject a COB claim that does not balance, so it is checked here: the claim
 * charge equals the prior payer's paid amount (AMT*D) plus all its claim and line adjustments, and
 * each adjudicated line's charge equals its paid amount (SVD02) plus its adjustments.
 */
export function writePriorPayers(w: X12Writer, bill: X12ClaimBill): void {
  const priors = bill.claim.priorPayments ?? [];
  if (priors.length === 0) return;
  const others = (['P', 'S', 'T'] as const).filter((r) => r !== bill.payerResponsibility);
  if (bill.payerResponsibility === 'P' || priors.length > others.length || (bill.payerResponsibility === 'S' && priors.length > 1)) {
    w.fail(`a ${responsibilityName(bill.payerResponsibility)} claim cannot carry ${priors.length} prior payer(s)`, 'SBR');
  }
  priors.forEach((prior, k) => {
    checkBalance(w, bill, prior);
    const relationship = prior.relationship ?? bill.subscriber.relationship;
    need(w, prior.filingIndicator, `prior payer ${prior.payer.name} claim filing indicator`);
    w.seg('SBR', others[k], relationship, prior.groupNumber, undefined, undefined, undefined, undefined, undefined, prior.filingIndicator);
    cas(w, prior.adjustments);
    w.seg('AMT', 'D', w.money(prior.paidCents, `amount paid by ${prior.payer.name}`));
    // OI03/OI06 repeat the claim's own benefits assignment and release of information.
    w.seg('OI', undefined, undefined, bill.claim.benefitsAssigned, undefined, undefined, bill.claim.releaseOfInformation);
    need(w, prior.subscriber.memberId, `prior payer ${prior.payer.name} member id`);
    nm1Person(w, 'IL', prior.subscriber.person, 'MI', prior.subscriber.memberId);
    need(w, prior.payer.payerId, `prior payer ${prior.payer.name} payer id`);
    nm1Org(w, 'PR', prior.payer.name, 'PI', prior.payer.payerId);
    // The adjudication date goes here only when no 2430 line carries it.
    if ((prior.lines ?? []).length === 0) w.seg('DTP', '573', 'D8', w.date(prior.paidDate, `${prior.payer.name} paid date`));
  });
}

/** 2430 line adjudication: SVD, CAS, DTP*573 for one line a prior payer adjudicated. */
export function writePriorLine(w: X12Writer, prior: X12PriorPayment, p: PriorLine, line: X12ServiceLine): void {
  const modifiers = p.procedureCode === line.procedureCode ? line.modifiers : [];
  w.seg(
    'SVD',
    prior.payer.payerId,
    w.money(p.paidCents, `line ${p.lineNumber} paid by ${prior.payer.name}`),
    ['HC', p.procedureCode, ...modifiers],
    undefined,
    w.quantity(p.units, `line ${p.lineNumber} units paid`),
  );
  cas(w, p.adjustments);
  w.seg('DTP', '573', 'D8', w.date(p.paidDate, `line ${p.lineNumber} paid date`));
}

function checkBalance(w: X12Writer, bill: X12ClaimBill, prior: X12PriorPayment): void {
  const claim = bill.claim;
  const lines = prior.lines ?? [];
  let lineAdjustments = 0;
  for (const p of lines) {
    const line = claim.lines[p.lineNumber - 1];
    if (line === undefined) w.fail(`${prior.payer.name} adjudicated line ${p.lineNumber}, but the claim has ${claim.lines.length} lines`, 'SVD');
    const adj = adjustmentTotal(p.adjustments);
    if (line.chargeCents !== p.paidCents + adj) {
      w.fail(
        `line ${p.lineNumber} as ${prior.payer.name} paid it does not balance: charge ${money(w, line.chargeCents)} ≠ paid ${money(w, p.paidCents)} + adjustments ${money(w, adj)}`,
        'SVD',
      );
    }
    lineAdjustments += adj;
  }
  const claimAdjustments = adjustmentTotal(prior.adjustments);
  if (claim.totalChargeCents !== prior.paidCents + claimAdjustments + lineAdjustments) {
    w.fail(
      `the payment by ${prior.payer.name} does not balance: charge ${money(w, claim.totalChargeCents)} ≠ paid ${money(w, prior.paidCents)} + claim adjustments ${money(w, claimAdjustments)} + line adjustments ${money(w, lineAdjustments)}`,
      'AMT',
    );
  }
}

function money(w: X12Writer, cents: number): string {
  return w.money(cents, 'amount', true);
}

function responsibilityName(r: string): string {
  return r === 'P' ? 'primary' : r === 'S' ? 'secondary' : 'tertiary';
}
