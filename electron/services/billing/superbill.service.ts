import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import type { ClaimView, Finding, superbillInput } from '../../../shared/domain/billing/model';
import { scrubClaim } from '../../../shared/domain/billing/scrub';
import { clinicDate } from '../../../shared/domain/dates';
import { newId } from '../../common/ids';
import type { Icd10Index } from '../codes/icd10.index';
import type { Actor } from '../repos/writer';
import { readBillingSettings } from './billing-settings';
import type { ClaimRow, ClaimsRepo } from './claims.repo';
import type { CoverageRepo } from './coverage.repo';
import type { LedgerRepo } from './ledger.repo';
import type { PayersRepo } from './payers.repo';
import type { BillingRows } from './rows';

export interface SuperbillDeps {
  rows: BillingRows;
  claims: ClaimsRepo;
  coverage: CoverageRepo;
  payers: PayersRepo;
  ledger: LedgerRepo;
  icd10: () => Icd10Index;
  now: () => Date;
  /** The clinic's zone: a visit's date of service is its calendar day there. */
  zone: () => string;
}

type SuperbillInput = z.output<typeof superbillInput>;

/**
 * Charge capture: a finished visit's superbill becomes a claim (to the primary coverage in force on
 * the date of service, or self-pay), its lines are priced from the fee schedule, each line's charge
 * posts to the account, and the scrubber's findings decide whether the claim is ready to send.
 */
export class SuperbillService {
  constructor(private readonly d: SuperbillDeps) {}

  save(input: SuperbillInput, actor: Actor): ClaimView {
    const { rows } = this.d;
    const visit = rows.get<{ patient_id: string; status: string; provider_id: string | null; start_at: string | null; created_at: string }>(
      'SELECT patient_id, status, provider_id, start_at, created_at FROM encounters WHERE id = ? AND deleted_at IS NULL',
      input.encounterId,
    );
    if (!visit) throw new CairnFailure('not_found', 'no such visit');
    if (visit.status !== 'finished') throw new CairnFailure('conflict', 'finish the visit before billing it (the superbill is built from a finished visit)');
    const serviceDate = clinicDate(visit.start_at ?? visit.created_at, this.d.zone());
    this.d.coverage.adoptLegacy(visit.patient_id, actor);
    const cov = this.d.coverage.inForce(visit.patient_id, 1, serviceDate) ?? null;
    const diagnoses = input.diagnoses.map((c) => this.d.icd10().get(c)?.code ?? c);
    const renderingNpi =
      input.renderingNpi ??
      (visit.provider_id ? (rows.get<{ npi: string | null }>('SELECT npi FROM users WHERE id = ?', visit.provider_id)?.npi ?? null) : null);
    const lines = input.lines.map((l, i) => {
      const unit = l.chargeCents ?? this.d.payers.price(l.code, l.modifiers[0] ?? '', serviceDate);
      return { ...l, lineNumber: i + 1, chargeCents: l.chargeCents ?? (unit ?? 0) * l.units };
    });
    const total = lines.reduce((s, l) => s + l.chargeCents, 0);

    return rows.writer.write((at) => {
      const open = this.d.claims.openForVisit(input.encounterId, cov ? 1 : null);
      if (open && !['draft', 'ready', 'rejected', 'denied'].includes(open.status))
        throw new CairnFailure(
          'conflict',
          `claim ${open.claim_number} was already sent (${open.status}): correct it with a replacement claim, not a new superbill`,
        );
      if (open) this.withdraw(at, actor, open);
      const id = open?.id ?? newId();
      const values = {
        coverage_id: cov?.id ?? null,
        payer_rank: cov ? 1 : null,
        service_date: serviceDate,
        place_of_service: input.placeOfService,
        diagnoses: JSON.stringify(diagnoses),
        rendering_id: visit.provider_id,
        rendering_npi: renderingNpi,
        referring_name: input.referring?.name ?? null,
        referring_npi: input.referring?.npi ?? null,
        facility: input.facility ? JSON.stringify(input.facility) : null,
        total_cents: total,
      };
      let claim: ClaimRow = open
        ? (rows.update(at, actor, 'claim', id, values, visit.patient_id, 'billing.superbill.revise') as unknown as ClaimRow)
        : this.d.claims.insert(at, actor, { id, patient_id: visit.patient_id, encounter_id: input.encounterId, status: 'draft', frequency: '1', ...values });
      for (const l of lines) {
        const line = this.d.claims.insertLine(at, actor, {
          claim_id: id,
          patient_id: visit.patient_id,
          line_number: l.lineNumber,
          code: l.code,
          modifiers: l.modifiers.join(','),
          units: l.units,
          charge_cents: l.chargeCents,
          pointers: l.pointers.join(','),
          ndc: l.ndc?.code ?? null,
          ndc_quantity: l.ndc ? Math.round(l.ndc.quantity * 1000) : null,
          ndc_unit: l.ndc?.unit ?? null,
        });
        this.d.ledger.post(at, actor, {
          patientId: visit.patient_id,
          kind: 'charge',
          party: cov ? 'insurance' : 'patient',
          amountCents: l.chargeCents,
          claimId: id,
          claimLineId: line.id,
          payerRef: cov?.payerRef ?? null,
          serviceDate,
          providerId: visit.provider_id,
          memo: l.code,
        });
      }
      const findings = this.scrub(claim);
      const status = findings.some((f) => f.severity === 'error') ? 'draft' : 'ready';
      claim = rows.update(
        at,
        actor,
        'claim',
        id,
        { findings: JSON.stringify(findings), status },
        visit.patient_id,
        'billing.claim.scrub',
      ) as unknown as ClaimRow;
      this.d.claims.event(at, actor, claim, status, `superbill: ${lines.length} line(s), ${diagnoses.join(' ')}`);
      rows.writer.audited(at, 'billing.superbill', actor, visit.patient_id, 'claim', id, `${lines.length} lines, ${total} cents`);
      return this.d.claims.view(id);
    });
  }

  /** Re-runs the scrubber (after settings, coverage or codes changed) and moves draft ⇄ ready. */
  rescrub(claimId: string, actor: Actor): ClaimView {
    return this.d.rows.writer.write((at) => {
      const c = this.d.claims.row(claimId);
      const findings = this.scrub(c);
      const errors = findings.some((f) => f.severity === 'error');
      const status = c.status === 'draft' || c.status === 'ready' || c.status === 'rejected' || c.status === 'denied' ? (errors ? 'draft' : 'ready') : c.status;
      if (status !== c.status)
        this.d.claims.move(at, actor, c, status, errors ? 'scrubber found errors' : 'scrubber passed', { findings: JSON.stringify(findings) });
      else this.d.rows.update(at, actor, 'claim', c.id, { findings: JSON.stringify(findings) }, c.patient_id, 'billing.claim.scrub');
      return this.d.claims.view(claimId);
    });
  }

  /** The scrubber over a stored claim. */
  scrub(c: ClaimRow): Finding[] {
    const s = readBillingSettings(this.d.rows.sqlite);
    const cov = c.coverage_id ? this.d.coverage.get(c.coverage_id) : null;
    const facility = c.facility ? (JSON.parse(c.facility) as { npi: string; addressLine1: string; city: string; zip: string }) : null;
    return scrubClaim({
      serviceDate: c.service_date,
      today: clinicDate(this.d.now(), this.d.zone()),
      placeOfService: c.place_of_service,
      diagnoses: JSON.parse(c.diagnoses) as string[],
      lines: this.d.claims.lines(c.id).map((l) => ({
        lineNumber: l.line_number,
        code: l.code,
        units: l.units,
        chargeCents: l.charge_cents,
        pointers: l.pointers.split(',').map(Number),
        modifiers: l.modifiers ? l.modifiers.split(',') : [],
      })),
      billing: {
        npi: s?.billingNpi ?? null,
        taxId: s?.taxId ?? null,
        name: s?.billingName ?? null,
        address: s ? `${s.addressLine1} ${s.city} ${s.zip.slice(0, 5)}` : null,
      },
      renderingNpi: c.rendering_npi,
      referringNpi: c.referring_npi,
      facility: facility ? { npi: facility.npi, address: `${facility.addressLine1} ${facility.city} ${facility.zip.slice(0, 5)}` } : null,
      coverage: cov
        ? {
            memberId: cov.memberId,
            payerId: cov.payerId === 'UNKNOWN' ? '' : cov.payerId,
            relationship: cov.relationship === 'self' ? '18' : 'other',
            subscriber: cov.subscriber,
            effectiveFrom: cov.effectiveFrom,
            effectiveTo: cov.effectiveTo,
            eligibilityActive: cov.eligibility?.active ?? null,
          }
        : null,
      frequency: c.frequency,
      payerClaimNumber: c.payer_claim_number,
      diagnosis: (code) => {
        const d = this.d.icd10().get(code);
        return d ? { billable: d.billable, description: d.shortDescription } : undefined;
      },
      knownProcedure: (code) => this.d.payers.knows(code),
    });
  }

  /** A revised superbill replaces the unsent claim's lines: old lines are soft-deleted and their charges reversed. */
  private withdraw(at: string, actor: Actor, c: ClaimRow): void {
    for (const l of this.d.claims.lines(c.id))
      this.d.rows.update(at, actor, 'claim_line', l.id, { deleted_at: at, deleted_by: actor.userId }, c.patient_id, 'billing.claim.line.withdraw');
    const charges = this.d.rows.all<{ id: string; amount_cents: number; party: string; claim_line_id: string | null; payer_ref: string | null }>(
      `SELECT id, amount_cents, party, claim_line_id, payer_ref FROM ledger_entries l WHERE claim_id = ? AND kind = 'charge'
          AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = l.id)`,
      c.id,
    );
    for (const e of charges)
      this.d.ledger.post(at, actor, {
        patientId: c.patient_id,
        kind: 'reversal',
        party: e.party as 'patient' | 'insurance',
        amountCents: -e.amount_cents,
        claimId: c.id,
        claimLineId: e.claim_line_id,
        payerRef: e.payer_ref,
        serviceDate: c.service_date,
        reversesId: e.id,
        memo: 'superbill revised',
      });
  }
}
