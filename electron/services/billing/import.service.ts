import type { ImportReport } from '../../../shared/api/billing.contract';
import { CairnFailure } from '../../../shared/api/result';
import { checkBalance, readX12All } from '../../../shared/x12';
import type { Ack999, ClaimStatus277, Eligibility271, ParsedX12, Remittance835 } from '../../../shared/x12/types';
import type { Actor } from '../repos/writer';
import type { ClaimRow } from './claims.repo';
import { recordEligibility } from './eligibility.service';
import { postRemittance, type RemittanceDeps } from './remittance.service';

const ACCEPTED_277 = /^A[12]$|^A5$/;
const REJECTED_277 = /^A[3-8]$|^R/;

/**
 * Imports one X12 reply, recognised by its ST01: an 835 is posted (once, and only when it balances),
 * a 999 or 277 moves the claims it names, a 271 records an eligibility answer. One transaction per
 * file: a file with any error posts nothing, and the report says which segment is wrong.
 */
export function importX12(d: RemittanceDeps, fileName: string, text: string, actor: Actor, now: () => Date): ImportReport {
  const empty = { fileName, controlNumber: null, claimsMatched: 0, claimsUnmatched: 0, postedCents: 0, duplicate: false };
  const parsed = readX12All(text);
  if (!parsed.ok) return { ...empty, type: 'unknown', errors: [parsed.error.message], summary: `${fileName}: not imported: ${parsed.error.message}` };
  if (parsed.value.length > 1) return importRemittances(d, fileName, text, parsed.value, actor);
  const x = parsed.value[0]!;
  const base = { ...empty, type: x.transaction, controlNumber: x.interchangeControl };
  try {
    switch (x.transaction) {
      case '835': {
        const balance = checkBalance(x);
        if (!balance.ok) return { ...base, errors: [balance.error.message], summary: `${fileName}: not posted: ${balance.error.message}` };
        const r = postRemittance(d, x, text, actor);
        if (r.duplicate) return { ...base, duplicate: true, errors: [], summary: `${fileName}: this ERA was already posted; nothing posted again` };
        const more = r.secondaryClaims.length ? `; secondary claim(s) ${r.secondaryClaims.join(', ')} ready for the next batch` : '';
        const unmatched = r.claimsUnmatched ? `; ${r.claimsUnmatched} unmatched claim payment(s) wait in the queue` : '';
        return {
          ...base,
          claimsMatched: r.claimsMatched,
          claimsUnmatched: r.claimsUnmatched,
          postedCents: r.postedCents,
          errors: [],
          summary: `${fileName}: ${x.payer.name} ${x.traceNumber}: ${r.claimsMatched} claim(s) posted${unmatched}${more}`,
        };
      }
      case '999':
        return { ...base, ...apply999(d, x, actor), errors: [] };
      case '277':
        return { ...base, ...apply277(d, x, actor), errors: [] };
      case '271': {
        const check = recordEligibility(d, x, actor, now);
        return {
          ...base,
          claimsMatched: 0,
          errors: [],
          summary: `${fileName}: eligibility ${check.active === null ? 'unknown' : check.active ? 'active' : 'inactive'} recorded`,
        };
      }
      default: {
        const t = (x as { transaction: string }).transaction;
        return { ...base, errors: [`${t} files are not imported here`], summary: `${fileName}: a ${t} is not a reply Cairn imports` };
      }
    }
  } catch (e) {
    if (!(e instanceof CairnFailure)) throw e;
    return { ...base, errors: [e.message], summary: `${fileName}: nothing imported: ${e.message}` };
  }
}

/**
 * A file of several 835s (one per payment): each must balance, and all post in one transaction or
 * none do; each set is remembered on its own, so a set imported again posts nothing again.
 */
function importRemittances(d: RemittanceDeps, fileName: string, text: string, sets: ParsedX12[], actor: Actor): ImportReport {
  const base = { fileName, type: '835', controlNumber: sets[0]!.interchangeControl, claimsMatched: 0, claimsUnmatched: 0, postedCents: 0, duplicate: false };
  const other = sets.find((x) => x.transaction !== '835');
  if (other)
    return { ...base, errors: [`the file mixes a ${other.transaction} with 835s: send each kind in its own file`], summary: `${fileName}: nothing imported` };
  const eras = sets as Remittance835[];
  for (const [i, era] of eras.entries()) {
    const balance = checkBalance(era);
    if (!balance.ok)
      return { ...base, errors: [`835 set ${i + 1} (ST02 ${era.transactionControl}): ${balance.error.message}`], summary: `${fileName}: nothing posted` };
  }
  try {
    const results = d.rows.writer.writeLarge(() => eras.map((era) => postRemittance(d, era, `${text}\n#${era.transactionControl}`, actor)));
    const sum = (k: 'claimsMatched' | 'claimsUnmatched' | 'postedCents'): number => results.reduce((s, r) => s + r[k], 0);
    const duplicate = results.every((r) => r.duplicate);
    return {
      ...base,
      claimsMatched: sum('claimsMatched'),
      claimsUnmatched: sum('claimsUnmatched'),
      postedCents: sum('postedCents'),
      duplicate,
      errors: [],
      summary: `${fileName}: ${eras.length} remittances, ${sum('claimsMatched')} claim(s) posted${duplicate ? ' (all already posted before)' : ''}`,
    };
  } catch (e) {
    if (!(e instanceof CairnFailure)) throw e;
    return { ...base, errors: [e.message], summary: `${fileName}: nothing imported: ${e.message}` };
  }
}

/** A 999 accepts or rejects whole batches: its AK1 names the group control number of the 837 batch. */
function apply999(d: RemittanceDeps, ack: Ack999, actor: Actor): Pick<ImportReport, 'claimsMatched' | 'summary'> {
  return d.rows.writer.write((at) => {
    const group = ack.acknowledgedGroup ?? '';
    const batch = d.rows.get<{ id: string; interchange_control: number }>(
      `SELECT id, interchange_control FROM x12_batches WHERE group_control = ? AND kind = '837P'`,
      Number(group),
    );
    if (!batch) throw new CairnFailure('not_found', `999 AK1: group control ${group || '(none)'} is no claim batch sent from here (or not synced yet)`);
    const accepted = ack.groupCode === 'A' || ack.groupCode === 'E';
    const why = ack.sets.flatMap((s) => s.errors.map((e) => e.message)).join('; ');
    const claims = d.rows.all<ClaimRow>(`SELECT * FROM claims WHERE batch_id = ? AND status = 'submitted'`, batch.id);
    for (const c of claims)
      d.claims.move(
        at,
        actor,
        c,
        accepted ? 'accepted' : 'rejected',
        accepted ? `999: batch ${batch.interchange_control} accepted` : `999 rejected: ${why || 'the whole batch'}`,
      );
    d.rows.update(at, actor, 'x12_batch', batch.id, { status: accepted ? 'accepted' : 'rejected' }, null, 'billing.batch.ack');
    return {
      claimsMatched: claims.length,
      summary: `999 for batch ${batch.interchange_control}: ${accepted ? 'accepted' : `rejected (${why || 'no reason given'})`}; ${claims.length} claim(s) moved`,
    };
  });
}

/** A 277 (or 277CA) moves each claim it names by its status category. */
function apply277(d: RemittanceDeps, st: ClaimStatus277, actor: Actor): Pick<ImportReport, 'claimsMatched' | 'claimsUnmatched' | 'summary'> {
  return d.rows.writer.write((at) => {
    let matched = 0;
    let unmatched = 0;
    for (const s of st.claims) {
      const c = s.patientControlNumber ? d.claims.byNumber(s.patientControlNumber) : undefined;
      if (!c) {
        unmatched++;
        continue;
      }
      matched++;
      const detail = `277 ${s.category}:${s.statusCode}${s.message ? ` ${s.message}` : ''}`;
      if (ACCEPTED_277.test(s.category) && c.status === 'submitted') d.claims.move(at, actor, c, 'accepted', detail);
      else if (REJECTED_277.test(s.category) && (c.status === 'submitted' || c.status === 'accepted')) d.claims.move(at, actor, c, 'rejected', detail);
      else d.claims.event(at, actor, c, c.status, detail);
    }
    return {
      claimsMatched: matched,
      claimsUnmatched: unmatched,
      summary: `277: ${matched} claim status(es) read${unmatched ? `, ${unmatched} for claims not sent from here` : ''}`,
    };
  });
}

export type { Eligibility271 };
