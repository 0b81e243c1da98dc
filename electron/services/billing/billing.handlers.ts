import type { billingChannels } from '../../../shared/api/billing.contract';
import { CairnFailure } from '../../../shared/api/result';
import { adjustmentCodesFile, parseFeeScheduleCsv, parseProcedureCodesCsv } from '../../../shared/domain/billing/codes';
import type { AreaHandlers, HandlerContext } from '../handler-context';
import { writeBillingSettings } from './billing-settings';
import { billingDocuments } from './billing-documents';
import { FolderDropAdapter } from './clearinghouse';
import { agingReport, collectionsByProvider, daySheet, denialRate } from './reports';

/** The billing area's handlers, one per channel of shared/api/billing.contract.ts. */
export function billingHandlers(ctx: HandlerContext): AreaHandlers<typeof billingChannels> {
  const { session, now, today, reading } = ctx;
  const billing = (): ReturnType<HandlerContext['services']>['billing'] => ctx.services().billing;
  // The CARC descriptions, read and checked once (a damaged file leaves the codes without words).
  let carcNames: Map<string, string> | undefined;
  const carc = (): Map<string, string> => {
    if (carcNames) return carcNames;
    const f = session.repos.resources.tryJson('billing/adjustment-codes.json', adjustmentCodesFile);
    return (carcNames = new Map('value' in f ? f.value.carc.map((c) => [c.code, c.description]) : []));
  };
  const folder = (): FolderDropAdapter | null => {
    const s = billing().settings();
    return s?.outboundFolder && s.inboundFolder ? new FolderDropAdapter(s.outboundFolder, s.inboundFolder) : null;
  };
  const docs = billingDocuments(ctx);
  return {
    'billing.settings': () => billing().settings(),
    'billing.setSettings': (i, me) => writeBillingSettings(session.repos.store.sqlite, session.repos.audit, i, me.actor.userId, now().toISOString()),
    'billing.payers': () => billing().payers.list(),
    'billing.addPayer': (i, me) => billing().payers.add(i, me.actor),
    'billing.coverages': (i, me) => {
      reading(me, 'billing.coverage.read', i.patientId);
      billing().coverage.adoptLegacy(i.patientId, me.actor);
      return billing().coverage.list(i.patientId);
    },
    'billing.addCoverage': (i, me) => billing().coverage.add(i, me.actor),
    'billing.changeCoverage': (i, me) =>
      billing().coverage.change(
        i.coverageId,
        {
          ...(i.effectiveTo ? { effectiveTo: i.effectiveTo } : {}),
          ...(i.copayCents !== undefined ? { copayCents: i.copayCents } : {}),
          ...(i.confirm ? { confirm: true } : {}),
        },
        me.actor,
      ),
    'billing.card': (i, me) => {
      const cov = billing().coverage.get(i.coverageId, { eligibility: false });
      reading(me, 'billing.card.read', cov.patientId);
      return { dataUrl: billing().coverage.card(i.coverageId, i.side) };
    },
    'billing.eligibility': async (i, me) => {
      const inquiry = billing().inquiry(i.coverageId, me.actor);
      const drop = folder();
      if (drop) await drop.send({ fileName: inquiry.fileName, text: inquiry.text });
      const result = i.response271 ? billing().answer(i.coverageId, i.response271, me.actor) : null;
      return { inquiry270: inquiry.text, fileName: inquiry.fileName, result, waiting: result === null };
    },
    'billing.codes': (i) => {
      const on = i.date ?? today();
      return billing()
        .payers.searchCodes(i.q)
        .map((c) => ({ ...c, feeCents: billing().payers.price(c.code, '', on) }));
    },
    'billing.importFees': (i, me) => {
      if (i.kind === 'fees') {
        const r = parseFeeScheduleCsv(i.csv, i.fileName);
        if (!r.ok) throw new CairnFailure('invalid_input', r.error.message);
        const fees = r.value.map((f) => ({ code: f.code, modifier: f.modifier ?? '', priceCents: f.priceCents }));
        return { imported: billing().payers.importFees(fees, i.effectiveFrom ?? today(), me.actor) };
      }
      const r = parseProcedureCodesCsv(i.csv, i.fileName);
      if (!r.ok) throw new CairnFailure('invalid_input', r.error.message);
      const imported = billing().payers.importCodes(r.value, i.kind === 'cpt' ? 'CPT' : 'HCPCS', now().toISOString());
      session.repos.store.sqlite.transaction(() =>
        session.repos.audit.append(
          { action: 'billing.codes.import', userId: me.actor.userId, detail: `${imported} ${i.kind} codes from ${i.fileName}` },
          now().toISOString(),
        ),
      )();
      return { imported };
    },
    'billing.superbill': (i, me) => billing().superbills.save(i, me.actor),
    'billing.visitClaim': (i) => {
      const id = billing().claims.latestForVisit(i.encounterId);
      return id ? billing().claims.view(id) : null;
    },
    'billing.claims': (i, me) =>
      billing()
        .claims.list(i)
        .filter((c) => me.viewer.mayOpen(c.patientId)),
    'billing.claim': (i) => billing().claims.view(i.claimId),
    'billing.scrub': (i, me) => billing().superbills.rescrub(i.claimId, me.actor),
    'billing.correct': (i, me) => billing().correct(i.claimId, i.action, i.note, me.actor),
    'billing.batch': async (i, me) => {
      const b = billing().batch(me.actor, i.claimIds);
      const drop = folder();
      if (drop) await drop.send({ fileName: b.fileName, text: b.text });
      return b;
    },
    'billing.claimForm': (i, me) => docs.cms1500(i.claimId, me),
    'billing.import': (i, me) => i.files.map((f) => billing().import(f.fileName, f.text, me.actor)),
    'billing.fetchReplies': async (_i, me) => {
      const drop = folder();
      if (!drop)
        throw new CairnFailure('conflict', 'no clearinghouse folders are set: an administrator sets the outbound and inbound folders in Billing settings');
      const reports = [];
      for (const f of await drop.receive()) {
        const report = billing().import(f.fileName, f.text, me.actor);
        reports.push(report);
        // Taken once either way (its report says which): a refused file waits in refused/ for a biller.
        drop.taken(f.fileName, report.errors.length === 0);
      }
      return reports;
    },
    'billing.unmatched': () => billing().claims.unmatchedQueue(),
    'billing.resolveUnmatched': (i, me) => billing().resolveUnmatched(i.id, i.claimId ?? null, i.note, me.actor),
    'billing.denials': (_i, me) => {
      const names = carc();
      const denied = billing().claims.denied();
      const groups = new Map<string, { id: string; claimNumber: string; patientName: string; serviceDate: string; totalCents: number }[]>();
      for (const d of denied.filter((x) => me.viewer.mayOpen(x.patient_id))) {
        const key = d.reason ?? 'none';
        groups.set(key, [
          ...(groups.get(key) ?? []),
          { id: d.id, claimNumber: d.claim_number, patientName: d.name, serviceDate: d.service_date, totalCents: d.total_cents },
        ]);
      }
      return [...groups.entries()].map(([reason, claims]) => ({
        reason,
        description: names.get(reason) ?? (reason === 'none' ? 'No reason code given' : 'See the payer’s remittance'),
        claims,
      }));
    },
    'billing.account': (i, me) => {
      reading(me, 'billing.account.read', i.patientId);
      return billing().ledger.account(i.patientId);
    },
    'billing.pay': (i, me) => docs.pay(i, me),
    'billing.reverse': (i, me) => {
      const owner = billing().rows.get<{ patient_id: string }>('SELECT patient_id FROM ledger_entries WHERE id = ?', i.entryId);
      if (owner?.patient_id !== i.patientId) throw new CairnFailure('not_found', 'no such entry on this patient’s account');
      billing().ledger.reverse(i.entryId, i.reason, me.actor);
      return billing().ledger.account(i.patientId);
    },
    'billing.statement': (i, me) => docs.statement(i.patientId, me),
    'billing.aging': (i) => agingReport(billing().rows, i.asOf ?? today(), ctx.clinicZone()),
    'billing.report': (i) => {
      const rows = billing().rows;
      if (i.to < i.from) throw new CairnFailure('invalid_input', 'the report ends before it starts', [{ path: 'to', message: 'before from' }]);
      if (i.kind === 'day-sheet') return daySheet(rows, i.from, i.to, ctx.clinicZone());
      if (i.kind === 'collections') return collectionsByProvider(rows, i.from, i.to, ctx.clinicZone());
      const names = carc();
      return denialRate(rows, i.from, i.to, ctx.clinicZone(), (code) => names.get(code) ?? '');
    },
  };
}
