import type { z } from 'zod';
import { coverageInput } from '../../../../shared/domain/billing/model';
import { parseDollars } from '../../../../shared/domain/money';
import { zodValidate } from '../../lib/zod-form';

/** The coverage form's fields: text as typed, the same names as the channel's input. */
export interface CoverageValues {
  payerRef: string | null;
  rank: 'primary' | 'secondary' | 'tertiary';
  memberId: string;
  groupNumber: string;
  planName: string;
  relationship: 'self' | 'spouse' | 'child' | 'other';
  subscriber: { lastName: string; firstName: string; birthDate: string; sex: 'F' | 'M' | 'U' };
  effectiveFrom: string;
  effectiveTo: string;
  copayCents: string;
  cardFront: string;
  cardBack: string;
}

export const emptyCoverage = (rank: CoverageValues['rank']): CoverageValues => ({
  payerRef: null,
  rank,
  memberId: '',
  groupNumber: '',
  planName: '',
  relationship: 'self',
  subscriber: { lastName: '', firstName: '', birthDate: '', sex: 'U' },
  effectiveFrom: '',
  effectiveTo: '',
  copayCents: '',
  cardFront: '',
  cardBack: '',
});

const opt = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

/** The channel input from the form: empty fields left out, the copay read from dollars into cents. */
export function toCoverageInput(patientId: string, v: CoverageValues): z.input<typeof coverageInput> {
  const copay = opt(v.copayCents);
  return {
    patientId,
    payerRef: v.payerRef ?? '',
    rank: v.rank,
    memberId: v.memberId,
    groupNumber: opt(v.groupNumber),
    planName: opt(v.planName),
    relationship: v.relationship,
    ...(v.relationship !== 'self' && { subscriber: v.subscriber }),
    effectiveFrom: opt(v.effectiveFrom),
    effectiveTo: opt(v.effectiveTo),
    // Important: an unreadable amount is kept as NaN so the schema refuses it instead of dropping it.
    copayCents: copay === undefined ? undefined : (parseDollars(copay) ?? Number.NaN),
    cardFront: opt(v.cardFront),
    cardBack: opt(v.cardBack),
  };
}

const schemaErrors = zodValidate(coverageInput);

/** The form's errors, from the same schema the backend checks with. */
export function validateCoverage(patientId: string): (v: CoverageValues) => Record<string, string> {
  return (v) => {
    const input = toCoverageInput(patientId, v);
    const errors = schemaErrors(input);
    if (Number.isNaN(input.copayCents)) errors['copayCents'] = 'copay: an amount in dollars and cents, like 25 or 25.00';
    return errors;
  };
}
