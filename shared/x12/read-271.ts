import { bad, el, guard, headerOf, optCents, reps } from './access';
import type { X12Interchange, X12TransactionSet } from './envelope';
import type { X12Delimiters, X12Segment } from './read';
import type { Benefit271, Eligibility271, X12Person, X12Result } from './types';
import { parsePercent } from './values';

/**
 * Reads a 271 eligibility response (005010X279A1): the payer (2100A), the subscriber (2100C: member
 * id, name, group number, plan), AAA rejections, and every EB benefit with its MSG notes, whether
 * it sits at the subscriber's or the dependent's level. Providers named inside LS … LE are skipped.
 * `summary` is computed from the benefits (see `summarize271`).
 */
export function read271(ic: X12Interchange, set: X12TransactionSet): X12Result<Eligibility271> {
  return guard(() => readAll(ic, set));
}

interface State {
  level: string;
  inLs: boolean;
  benefit: Benefit271 | undefined;
  plans: { byNumber?: string; byGroup?: string };
}

function readAll(ic: X12Interchange, set: X12TransactionSet): Eligibility271 {
  const r: Eligibility271 = { ...headerOf(ic, set, '271'), payer: { name: '' }, subscriber: {}, rejections: [], benefits: [], summary: { active: null } };
  const s: State = { level: '', inLs: false, benefit: undefined, plans: {} };
  for (const seg of set.segments) readSegment(r, s, seg, ic.delimiters);
  const planName = s.plans.byNumber ?? s.plans.byGroup;
  if (planName) r.subscriber.planName = planName;
  r.summary = summarize271(r.benefits, r.subscriber.planName);
  return r;
}

function readSegment(r: Eligibility271, s: State, seg: X12Segment, d: X12Delimiters): void {
  switch (seg.id) {
    case 'BHT':
      if (el(seg, 3)) r.reference = el(seg, 3);
      return;
    case 'HL':
      s.level = el(seg, 3);
      s.benefit = undefined;
      return;
    case 'LS':
      s.inLs = true;
      return;
    case 'LE':
      s.inLs = false;
      return;
    case 'NM1':
      if (!s.inLs) readName(r, s, seg);
      return;
    case 'REF':
      // A REF after an EB is about that benefit, not the subscriber's coverage.
      if (s.level === '22' && s.benefit === undefined) readRef(r, s, seg);
      return;
    case 'AAA':
      r.rejections.push(el(seg, 4) ? { code: el(seg, 3), followUp: el(seg, 4) } : { code: el(seg, 3) });
      return;
    case 'EB':
      s.benefit = readBenefit(seg, d);
      r.benefits.push(s.benefit);
      return;
    case 'MSG':
      if (s.benefit !== undefined && el(seg, 1)) s.benefit.messages.push(el(seg, 1));
      return;
    default:
      return;
  }
}

function readName(r: Eligibility271, s: State, seg: X12Segment): void {
  const entity = el(seg, 1);
  if (entity === 'PR' && s.level === '20') r.payer = el(seg, 9) ? { name: el(seg, 3), id: el(seg, 9) } : { name: el(seg, 3) };
  if (entity === 'IL' && s.level === '22') {
    if (el(seg, 9)) r.subscriber.memberId = el(seg, 9);
    if (el(seg, 3)) r.subscriber.person = person(seg);
  }
}

function readRef(r: Eligibility271, s: State, seg: X12Segment): void {
  const q = el(seg, 1);
  if (q === '6P') {
    if (el(seg, 2)) r.subscriber.groupNumber = el(seg, 2);
    if (el(seg, 3)) s.plans.byGroup = el(seg, 3);
  }
  if (q === '18' && el(seg, 3)) s.plans.byNumber = el(seg, 3);
}

function readBenefit(seg: X12Segment, d: X12Delimiters): Benefit271 {
  const info = el(seg, 1);
  if (info === '') bad(seg, 'EB01 (the eligibility or benefit code) is empty');
  const b: Benefit271 = { info, serviceTypes: reps(seg, 3, d), messages: [] };
  const set = (key: 'coverageLevel' | 'insuranceType' | 'planDescription' | 'period', n: number): void => {
    if (el(seg, n)) b[key] = el(seg, n);
  };
  set('coverageLevel', 2);
  set('insuranceType', 4);
  set('planDescription', 5);
  set('period', 6);
  const amount = optCents(seg, 7);
  if (amount !== undefined) b.amountCents = amount;
  if (el(seg, 8)) {
    const percent = parsePercent(el(seg, 8));
    if (percent === null) bad(seg, `EB08 ${JSON.stringify(el(seg, 8))} is not a percent written as a fraction (e.g. ".2" for 20 %)`);
    b.percent = percent;
  }
  const network = el(seg, 12);
  if (network === 'Y' || network === 'N' || network === 'W') b.inNetwork = network;
  return b;
}

function person(seg: X12Segment): X12Person {
  const p: X12Person = { lastName: el(seg, 3) };
  if (el(seg, 4)) p.firstName = el(seg, 4);
  if (el(seg, 5)) p.middleName = el(seg, 5);
  return p;
}

const ACTIVE = new Set(['1', '2', '3', '4', '5']);
const INACTIVE = new Set(['6', '7', '8']);

/**
 * What a front desk needs from a 271: active or not (EB01 1–5 active, 6–8 inactive; the plan-wide
 * answer, service type 30 or none, wins over a per-service one), the plan name, and the copay (B),
 * coinsurance (A, EB08 as a percent), deductible (C for the calendar or service year, 23/22) and
 * deductible remaining (C, period 29). Where several benefits answer, in-network and individual
 * ones are preferred, then the first in the file.
 */
export function summarize271(benefits: readonly Benefit271[], subscriberPlan?: string): Eligibility271['summary'] {
  const status = benefits.filter((b) => ACTIVE.has(b.info) || INACTIVE.has(b.info));
  const planWide = status.filter((b) => b.serviceTypes.length === 0 || b.serviceTypes.includes('30'));
  const decisive = planWide[0] ?? status[0];
  const summary: Eligibility271['summary'] = { active: decisive === undefined ? null : ACTIVE.has(decisive.info) };
  const planName =
    status.find((b) => ACTIVE.has(b.info) && b.planDescription)?.planDescription ?? benefits.find((b) => b.planDescription)?.planDescription ?? subscriberPlan;
  if (planName) summary.planName = planName;
  const copay = best(benefits, (b) => b.info === 'B' && b.amountCents !== undefined);
  if (copay?.amountCents !== undefined) summary.copayCents = copay.amountCents;
  const coinsurance = best(benefits, (b) => b.info === 'A' && b.percent !== undefined);
  if (coinsurance?.percent !== undefined) summary.coinsurancePercent = coinsurance.percent;
  const deductible = best(benefits, (b) => b.info === 'C' && b.amountCents !== undefined && (b.period === '23' || b.period === '22'));
  if (deductible?.amountCents !== undefined) summary.deductibleCents = deductible.amountCents;
  const remaining = best(benefits, (b) => b.info === 'C' && b.amountCents !== undefined && b.period === '29');
  if (remaining?.amountCents !== undefined) summary.deductibleRemainingCents = remaining.amountCents;
  return summary;
}

function best(benefits: readonly Benefit271[], fits: (b: Benefit271) => boolean): Benefit271 | undefined {
  const network = { Y: 0, W: 1, N: 3 } as const;
  const rank = (b: Benefit271): number =>
    (b.inNetwork === undefined ? 2 : network[b.inNetwork]) * 3 + (b.coverageLevel === 'IND' ? 0 : b.coverageLevel === undefined ? 1 : 2);
  let found: Benefit271 | undefined;
  for (const b of benefits) if (fits(b) && (found === undefined || rank(b) < rank(found))) found = b;
  return found;
}
