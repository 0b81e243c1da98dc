import { CairnFailure } from '../../../shared/api/result';
import type { EligibilityView } from '../../../shared/domain/billing/model';
import { build270 } from '../../../shared/x12';
import type { Eligibility271 } from '../../../shared/x12/types';
import type { Actor } from '../repos/writer';
import { requireSettings, nextControl } from './batch.service';
import { toEligibility } from './coverage.repo';
import type { RemittanceDeps } from './remittance.service';

const SEX: Record<string, 'F' | 'M' | 'U'> = { female: 'F', male: 'M' };

/** The 270 inquiry for a coverage, with the file name it is dropped under. */
export function inquiry270(
  d: RemittanceDeps & { deviceId: string; today: () => string },
  coverageId: string,
  now: () => Date,
  actor: Actor,
): { text: string; fileName: string; reference: string } {
  const s = requireSettings(d.rows);
  const cov = d.coverage.get(coverageId);
  if (cov.payerId === 'UNKNOWN')
    throw new CairnFailure('conflict', `${cov.payerName} has no payer id: add it to the payer directory before checking eligibility`);
  const p = d.rows.get<{ given_name: string; family_name: string; birth_date: string; sex: string }>(
    'SELECT given_name, family_name, birth_date, sex FROM patients WHERE id = ?',
    cov.patientId,
  )!;
  const control = nextControl(d.rows, d.deviceId);
  const reference = `E${control}`;
  const patient = { lastName: p.family_name.replace(/[*~:^|]/g, ' '), firstName: p.given_name.replace(/[*~:^|]/g, ' ') };
  const self = cov.relationship === 'self' || !cov.subscriber;
  const built = build270({
    parties: { senderId: s.submitterId, receiverId: s.receiverId, usage: s.usage },
    envelope: { interchangeControl: control, groupControl: control, createdAt: now() },
    reference,
    payer: { name: cov.payerName, payerId: cov.payerId },
    provider: { name: s.billingName, npi: s.billingNpi },
    subscriber: self
      ? {
          memberId: cov.memberId,
          person: patient,
          birthDate: p.birth_date,
          sex: SEX[p.sex] ?? 'U',
          ...(cov.groupNumber ? { groupNumber: cov.groupNumber } : {}),
        }
      : {
          memberId: cov.memberId,
          person: { lastName: cov.subscriber!.lastName, firstName: cov.subscriber!.firstName },
          birthDate: cov.subscriber!.birthDate,
          sex: cov.subscriber!.sex,
        },
    ...(self
      ? {}
      : {
          dependent: {
            person: patient,
            birthDate: p.birth_date,
            sex: SEX[p.sex] ?? 'U',
            relationship: cov.relationship === 'spouse' ? '01' : cov.relationship === 'child' ? '19' : 'G8',
          },
        }),
    serviceDate: d.today(),
  });
  if (!built.ok) throw new CairnFailure('invalid_input', `the 270 could not be built: ${built.error.message}`);
  const fileName = `cairn-270-${String(control).padStart(9, '0')}.270`;
  // The control number is spent: recorded (and synced) so no later batch or inquiry reuses it.
  d.rows.writer.write((at) =>
    d.rows.insert(
      at,
      actor,
      'x12_batch',
      { kind: '270', interchange_control: control, group_control: control, claim_count: 0, total_cents: 0, file_name: fileName, status: 'sent' },
      null,
      'billing.eligibility.inquiry',
    ),
  );
  return { text: built.value, fileName, reference };
}

/**
 * Records a 271 answer against the coverage it names (the one given, or the coverage whose member id
 * the 271 carries), as shown at check-in: active or not, plan, copay, coinsurance and deductible left.
 */
export function recordEligibility(d: RemittanceDeps, r: Eligibility271, actor: Actor, now: () => Date, coverageId?: string): EligibilityView {
  const id =
    coverageId ??
    d.rows.get<{ id: string }>(
      'SELECT id FROM coverages WHERE member_id = ? AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 1',
      r.subscriber.memberId ?? '',
    )?.id;
  if (!id) throw new CairnFailure('not_found', `271: member id ${r.subscriber.memberId ?? '(none)'} matches no coverage on this device`);
  const cov = d.coverage.get(id);
  const messages = [
    ...r.rejections.map((x) => `Rejected (AAA ${x.code})${x.followUp ? `: follow-up ${x.followUp}` : ''}`),
    ...r.benefits.flatMap((b) => b.messages),
  ].slice(0, 20);
  return d.rows.writer.write((at) => {
    const row = d.rows.insert(
      at,
      actor,
      'eligibility_check',
      {
        patient_id: cov.patientId,
        coverage_id: id,
        checked_at: now().toISOString(),
        active: r.summary.active === null ? null : r.summary.active ? 1 : 0,
        plan_name: r.summary.planName ?? null,
        copay_cents: r.summary.copayCents ?? null,
        coinsurance_percent: r.summary.coinsurancePercent ?? null,
        deductible_cents: r.summary.deductibleCents ?? null,
        deductible_remaining_cents: r.summary.deductibleRemainingCents ?? null,
        detail: JSON.stringify({ messages }),
        reference: r.reference ?? null,
      },
      cov.patientId,
    );
    d.rows.writer.audited(
      at,
      'billing.eligibility',
      actor,
      cov.patientId,
      'coverage',
      id,
      r.summary.active === null ? 'unknown' : r.summary.active ? 'active' : 'inactive',
    );
    return toEligibility(row as unknown as Parameters<typeof toEligibility>[0]);
  });
}
