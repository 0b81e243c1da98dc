import type { MedAlert } from '../../../../../shared/domain/drugs';
import type { CheckAllergy, CheckContext, CheckPatient, KnowledgeIndex, ProposedDose } from '../../../../../shared/domain/med-checks';

// ---------------------------------------------------------------- helpers

export const ADULT: CheckPatient = { birthDate: '1970-05-05', today: '2026-11-25', weightKg: 80, weightDate: '2026-11-01' };

export type Pick3 = Pick<MedAlert, 'kind' | 'severity' | 'ruleId'>;
export const brief = (alerts: MedAlert[]): Pick3[] => alerts.map(({ kind, severity, ruleId }) => ({ kind, severity, ruleId }));

/** A recorded, active allergy; a code when given. */
export const allergyTo = (substance: string, substanceCode: string | null = null): CheckAllergy => ({
  substance,
  substanceCode,
  kind: 'allergy',
  status: 'active',
});

export function ctxFor(
  index: KnowledgeIndex,
  meds: { rxcui: string | null; name: string }[],
  allergies: CheckAllergy[] = [],
  patient: CheckPatient = ADULT,
): CheckContext & { index: KnowledgeIndex } {
  return { knowledge: index.knowledge, index, medications: meds, allergies, patient };
}

// ---------------------------------------------------------------- the shipped knowledge (resources/drugs)

export const dd = (severity: MedAlert['severity'], ruleId: string): Pick3 => ({ kind: 'drug-drug', severity, ruleId });
export const da = (severity: MedAlert['severity'], ruleId: string): Pick3 => ({ kind: 'drug-allergy', severity, ruleId });
export const dup = (severity: MedAlert['severity'], ruleId: string): Pick3 => ({ kind: 'duplicate', severity, ruleId });
export const dose = (ruleId: string): Pick3 => ({ kind: 'dose', severity: 'major', ruleId });
export const mg = (amount: number, perDay: number | null): ProposedDose => ({ amount, unit: 'mg', perDay });
