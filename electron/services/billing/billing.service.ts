import { CairnFailure } from '../../../shared/api/result';
import type { ImportReport } from '../../../shared/api/billing.contract';
import type { ClaimView } from '../../../shared/domain/billing/model';
import { clinicDate } from '../../../shared/domain/dates';
import { readX12 } from '../../../shared/x12';
import { newId } from '../../common/ids';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import { makeClaimBatch, type ClaimBatch } from './batch.service';
import { readBillingSettings } from './billing-settings';
import { ClaimsRepo, type ClaimRow } from './claims.repo';
import { CoverageRepo } from './coverage.repo';
import { inquiry270, recordEligibility } from './eligibility.service';
import { importX12 } from './import.service';
import { LedgerRepo } from './ledger.repo';
import { PayersRepo } from './payers.repo';
import { resolveUnmatched, type RemittanceDeps } from './remittance.service';
import { BillingRows } from './rows';
import { SuperbillService } from './superbill.service';
import { clinicZoneOf } from '../schedule/schedule-config';

/** Practice management over one open database: the repositories and the workflows that join them. */
export class BillingService {
  readonly rows: BillingRows;
  readonly payers: PayersRepo;
  readonly coverage: CoverageRepo;
  readonly claims: ClaimsRepo;
  readonly ledger: LedgerRepo;
  readonly superbills: SuperbillService;

  constructor(
    private readonly repos: Repos,
    private readonly now: () => Date,
  ) {
    this.rows = new BillingRows(repos.store.sqlite, repos.writer);
    this.payers = new PayersRepo(this.rows);
    this.coverage = new CoverageRepo(this.rows);
    this.claims = new ClaimsRepo(this.rows);
    this.ledger = new LedgerRepo(this.rows);
    this.superbills = new SuperbillService({
      rows: this.rows,
      claims: this.claims,
      coverage: this.coverage,
      payers: this.payers,
      ledger: this.ledger,
      icd10: repos.icd10,
      now,
      zone: () => this.zone,
    });
  }

  /** The clinic's zone (clinic-hours.json): dates of service and "today" are its calendar days. */
  get zone(): string {
    return clinicZoneOf(this.repos.resources);
  }

  /** Today's date in the clinic's zone. */
  today(): string {
    return clinicDate(this.now(), this.zone);
  }

  private get deps(): RemittanceDeps & { deviceId: string; now: () => Date; today: () => string } {
    return {
      rows: this.rows,
      claims: this.claims,
      coverage: this.coverage,
      ledger: this.ledger,
      scrub: (c) => this.superbills.scrub(c),
      deviceId: this.repos.store.deviceId,
      now: this.now,
      today: () => this.today(),
    };
  }

  settings(): ReturnType<typeof readBillingSettings> {
    return readBillingSettings(this.rows.sqlite);
  }

  batch(actor: Actor, claimIds?: readonly string[]): ClaimBatch {
    return makeClaimBatch(this.deps, actor, claimIds ? { claimIds } : {});
  }

  import(fileName: string, text: string, actor: Actor): ImportReport {
    return importX12(this.deps, fileName, text, actor, this.now);
  }

  resolveUnmatched(id: string, claimId: string | null, note: string, actor: Actor): { claimNumber: string | null } {
    return resolveUnmatched(this.deps, id, claimId, note, actor);
  }

  inquiry(coverageId: string, actor: Actor): { text: string; fileName: string; reference: string } {
    return inquiry270(this.deps, coverageId, this.now, actor);
  }

  /** Records a 271 for this coverage. */
  answer(coverageId: string, text: string, actor: Actor): ReturnType<typeof recordEligibility> {
    const r = readX12(text);
    if (!r.ok) throw new CairnFailure('invalid_input', `the 271 could not be read: ${r.error.message}`);
    if (r.value.transaction !== '271') throw new CairnFailure('invalid_input', `that file is a ${r.value.transaction}, not a 271 eligibility response`);
    return recordEligibility(this.deps, r.value, actor, this.now, coverageId);
  }

  /**
   * Corrects a sent claim: a replacement (frequency 7) or a void (8) is a new claim carrying the
   * payer's claim number; a rejected or denied claim goes back to the worklist to be fixed and sent again.
   */
  correct(claimId: string, action: 'replace' | 'void' | 'resubmit', note: string, actor: Actor): ClaimView {
    return this.rows.writer.write((at) => {
      const c = this.claims.row(claimId);
      if (action === 'resubmit') {
        if (c.status !== 'rejected' && c.status !== 'denied')
          throw new CairnFailure('conflict', `claim ${c.claim_number} is ${c.status}: only a rejected or denied claim is resubmitted`);
        const findings = this.superbills.scrub(c);
        const next = findings.some((f) => f.severity === 'error') ? 'draft' : 'ready';
        this.claims.move(at, actor, c, next, `resubmit: ${note}`, { findings: JSON.stringify(findings) });
        return this.claims.view(claimId);
      }
      if (!c.payer_claim_number)
        throw new CairnFailure(
          'conflict',
          `claim ${c.claim_number} has no payer claim number yet (it comes with the payer's 835 or 277): wait for it, or resubmit`,
        );
      if (c.status === 'void' || c.status === 'draft' || c.status === 'ready')
        throw new CairnFailure('conflict', `claim ${c.claim_number} is ${c.status}: nothing was sent to correct`);
      const id = newId();
      const copy = this.copyClaim(at, actor, c, id, action === 'void' ? '8' : '7');
      this.claims.event(at, actor, c, c.status, `${action === 'void' ? 'voided' : 'replaced'} by ${copy.claim_number}: ${note}`);
      return this.claims.view(id);
    });
  }

  private copyClaim(at: string, actor: Actor, c: ClaimRow, id: string, frequency: '7' | '8'): ClaimRow {
    const copy = this.claims.insert(at, actor, {
      id,
      patient_id: c.patient_id,
      encounter_id: c.encounter_id,
      coverage_id: c.coverage_id,
      payer_rank: c.payer_rank,
      status: 'draft',
      frequency,
      related_claim_id: c.id,
      payer_claim_number: c.payer_claim_number,
      service_date: c.service_date,
      place_of_service: c.place_of_service,
      diagnoses: c.diagnoses,
      rendering_id: c.rendering_id,
      rendering_npi: c.rendering_npi,
      referring_name: c.referring_name,
      referring_npi: c.referring_npi,
      facility: c.facility,
      total_cents: c.total_cents,
    });
    for (const l of this.claims.lines(c.id))
      this.claims.insertLine(at, actor, {
        claim_id: id,
        patient_id: c.patient_id,
        line_number: l.line_number,
        code: l.code,
        modifiers: l.modifiers,
        units: l.units,
        charge_cents: l.charge_cents,
        pointers: l.pointers,
        ndc: l.ndc,
        ndc_quantity: l.ndc_quantity,
        ndc_unit: l.ndc_unit,
      });
    const findings = this.superbills.scrub(copy);
    const status = findings.some((f) => f.severity === 'error') ? 'draft' : 'ready';
    this.rows.update(at, actor, 'claim', id, { findings: JSON.stringify(findings), status }, c.patient_id, 'billing.claim.scrub');
    this.claims.event(at, actor, copy, status, `${frequency === '8' ? 'void' : 'replacement'} of ${c.claim_number}`);
    return copy;
  }
}
