import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { imagingProceduresFile } from '../../../shared/domain/imaging';
import { daysPast, followUpDueFrom, isNpi, referralTransitionProblem, replyDueFrom } from '../../../shared/domain/referrals';

describe('referral and follow-up rules', () => {
  it('allows only the steps of the referral life and says why others are refused', () => {
    expect(referralTransitionProblem('draft', 'sent')).toBeNull();
    expect(referralTransitionProblem('sent', 'consult_received')).toBeNull();
    expect(referralTransitionProblem('scheduled', 'scheduled')).toBeNull();
    expect(referralTransitionProblem('draft', 'scheduled')).toBe('a referral that was never sent cannot be marked scheduled: send it first');
    expect(referralTransitionProblem('sent', 'closed')).toMatch(/record the consult note first/);
    expect(referralTransitionProblem('closed', 'cancelled')).toMatch(/can no longer change/);
    expect(referralTransitionProblem('sent', 'sent')).toMatch(/already sent/);
  });

  it('dates replies by urgency and discharge calls by business days', () => {
    expect(replyDueFrom('2026-12-07T14:00:00Z', 'urgent')).toBe('2026-12-14');
    expect(replyDueFrom('2026-12-07T14:00:00Z', 'stat')).toBe('2026-12-09');
    expect(followUpDueFrom('2026-12-04T12:00:00Z')).toBe('2026-12-08'); // Friday → Tuesday
    expect(followUpDueFrom('2026-12-07T12:00:00Z')).toBe('2026-12-09'); // Monday → Wednesday
    expect(daysPast('2026-12-01', new Date('2026-12-05T23:00:00Z'))).toBe(4);
  });

  it('checks NPIs by their check digit', () => {
    expect(isNpi('1234567893')).toBe(true);
    expect(isNpi('1234567890')).toBe(false);
  });

  it('ships a valid imaging list (LOINC check digits, no code twice) and refuses a broken one', () => {
    const file = JSON.parse(readFileSync('resources/imaging/imaging-procedures.json', 'utf8')) as { procedures: { loinc: string }[] };
    expect(imagingProceduresFile.safeParse(file).success).toBe(true);
    const broken = { procedures: [...file.procedures, { ...file.procedures[0]!, loinc: '24969-0' }] };
    expect(imagingProceduresFile.safeParse(broken).success).toBe(false);
    expect(imagingProceduresFile.safeParse({ procedures: [file.procedures[0], file.procedures[0]] }).success).toBe(false);
  });
});
