import { createHash } from 'node:crypto';
import { CairnFailure } from '../../../shared/api/result';
import type { BillingSettings } from '../../../shared/domain/billing/settings';
import { build837P } from '../../../shared/x12';
import type { X12ClaimBill } from '../../../shared/x12/types';
import type { Actor } from '../repos/writer';
import { readBillingSettings } from './billing-settings';
import { billingProvider, claimBill } from './claim-bill';
import type { ClaimRow, ClaimsRepo } from './claims.repo';
import type { CoverageRepo } from './coverage.repo';
import type { BillingRows } from './rows';

export interface ClaimBatch {
  batchId: string;
  interchangeControl: number;
  groupControl: number;
  claimCount: number;
  totalCents: number;
  fileName: string;
  text: string;
  /** Claims left out, each with why (scrubber errors, self-pay). */
  skipped: { claimNumber: string; reason: string }[];
}

/** The settings every X12 file needs, or a message saying where to set them. */
export function requireSettings(rows: BillingRows): BillingSettings {
  const s = readBillingSettings(rows.sqlite);
  if (!s)
    throw new CairnFailure(
      'conflict',
      'billing is not set up on this device: an administrator enters the billing provider, NPI, tax id and clearinghouse (cairn billing settings, or Billing → Settings)',
    );
  return s;
}

/**
 * X12 control numbers are never reused, even across devices that make batches while apart: each
 * device numbers its batches in its own lane (its slot, 0–999, is the last three digits), above the
 * highest number it has seen in that lane, its own or synced from another device. The slot is the
 * block number the clinic server gave the device at enrollment (unique per device, as its MRNs
 * are); a device never enrolled is the clinic's only one and takes a slot from its id.
 */
export function nextControl(rows: BillingRows, deviceId: string): number {
  const block = Number(rows.get<{ value: string }>(`SELECT value FROM meta WHERE key = 'mrn_block'`)?.value ?? NaN);
  const slot = Number.isInteger(block) && block > 0 ? block % 1000 : parseInt(createHash('sha256').update(deviceId).digest('hex').slice(0, 8), 16) % 1000;
  const top = rows.get<{ n: number | null }>('SELECT max(interchange_control) AS n FROM x12_batches WHERE interchange_control % 1000 = ?', slot)?.n ?? null;
  const next = top === null ? 1000 + slot : top + 1000;
  if (next > 999_999_999) throw new CairnFailure('conflict', 'this device has used every X12 control number in its lane');
  return next;
}

/** Builds an 837P batch of the claims that are ready and marks them submitted, all in one transaction. */
export function makeClaimBatch(
  deps: { rows: BillingRows; claims: ClaimsRepo; coverage: CoverageRepo; deviceId: string; now: () => Date },
  actor: Actor,
  opts: { claimIds?: readonly string[]; limit?: number } = {},
): ClaimBatch {
  const { rows, claims, coverage } = deps;
  const s = requireSettings(rows);
  return rows.writer.writeLarge((at) => {
    const candidates = opts.claimIds
      ? opts.claimIds.map((id) => claims.row(id))
      : rows.all<ClaimRow>(`SELECT * FROM claims WHERE status = 'ready' AND deleted_at IS NULL ORDER BY service_date, created_at LIMIT ?`, opts.limit ?? 5000);
    const skipped: ClaimBatch['skipped'] = [];
    const picked: { c: ClaimRow; bill: X12ClaimBill }[] = [];
    for (const c of candidates) {
      if (c.status !== 'ready') skipped.push({ claimNumber: c.claim_number, reason: `it is ${c.status}, not ready` });
      else if (c.payer_rank === null) skipped.push({ claimNumber: c.claim_number, reason: 'self-pay: bill the patient instead' });
      else picked.push({ c, bill: claimBill(rows, claims, coverage, c, s) });
    }
    if (picked.length === 0)
      throw new CairnFailure(
        'conflict',
        'no claim is ready to send' + (skipped.length ? `: ${skipped.map((k) => `${k.claimNumber} ${k.reason}`).join('; ')}` : ''),
      );
    const control = nextControl(rows, deps.deviceId);
    const built = build837P({
      parties: { senderId: s.submitterId, receiverId: s.receiverId, usage: s.usage },
      envelope: { interchangeControl: control, groupControl: control, createdAt: deps.now() },
      submitter: { name: s.billingName, id: s.submitterId, contactName: s.submitterContact, phone: s.phone },
      receiver: { name: s.receiverName, id: s.receiverId },
      billing: billingProvider(s),
      bills: picked.map((p) => p.bill),
    });
    if (!built.ok) throw new CairnFailure('invalid_input', `the 837P could not be built: ${built.error.message}`);
    const totalCents = picked.reduce((sum, p) => sum + p.c.total_cents, 0);
    const fileName = `cairn-837p-${String(control).padStart(9, '0')}.837`;
    const batch = rows.insert(
      at,
      actor,
      'x12_batch',
      {
        kind: '837P',
        interchange_control: control,
        group_control: control,
        claim_count: picked.length,
        total_cents: totalCents,
        file_name: fileName,
        status: 'sent',
      },
      null,
      'billing.batch',
    );
    const batchId = String(batch['id']);
    claims.moveMany(
      at,
      actor,
      picked.map(({ c }) => ({ c, status: 'submitted', detail: `in batch ${control}`, more: { batch_id: batchId, submitted_at: at } })),
    );
    return { batchId, interchangeControl: control, groupControl: control, claimCount: picked.length, totalCents, fileName, text: built.value, skipped };
  });
}
