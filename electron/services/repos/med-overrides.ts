import { newId } from '../../common/ids';
import { CairnFailure } from '../../../shared/api/result';
import type { MedAlert } from '../../../shared/domain/drugs';
import type { AlertOverride } from '../../../shared/domain/medications';
import type { Orm } from '../db/open';
import { medAlertOverrides } from '../db/schema';
import { storedRow } from './stored-row';
import type { Actor, ClinicalWriter } from './writer';

/**
 * Refuses to go ahead while a major or contraindicated alert has no override reason; records
 * each override (table + audit). Moderate alerts are shown, and recorded when overridden.
 */
export function applyOverrides(
  orm: Orm,
  writer: ClinicalWriter,
  at: string,
  actor: Actor,
  patientId: string,
  context: string,
  rxcui: string | null,
  courseId: string | null,
  alerts: MedAlert[],
  overrides: AlertOverride[],
): void {
  const reasons = new Map(overrides.map((o) => [o.ruleId, o.reason]));
  const missing = alerts.filter((a) => a.severity !== 'moderate' && !reasons.has(a.ruleId));
  if (missing.length > 0) {
    throw new CairnFailure(
      'needs_override',
      `${missing.length} safety alert${missing.length === 1 ? '' : 's'} need${missing.length === 1 ? 's' : ''} a reason to override: ${missing.map((a) => a.message).join(' | ')}`,
      missing.map((a) => ({ path: `overrides.${a.ruleId}`, message: a.message })),
    );
  }
  for (const a of alerts) {
    const reason = reasons.get(a.ruleId);
    if (!reason) continue;
    const id = newId();
    const row = {
      id,
      patientId,
      context,
      rxcui,
      courseId,
      ruleId: a.ruleId,
      kind: a.kind,
      severity: a.severity,
      message: a.message,
      reason,
      userId: actor.userId,
      at,
    };
    const stored = orm.insert(medAlertOverrides).values(row).returning().get();
    writer.record(at, {
      action: 'med.alert_override',
      actor,
      patientId,
      entity: 'med_alert_override',
      id,
      op: 'insert',
      payload: storedRow(medAlertOverrides, stored),
      detail: `${a.severity} ${a.ruleId}: ${reason}`,
    });
  }
}
