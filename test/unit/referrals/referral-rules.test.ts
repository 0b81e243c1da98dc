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
    const NY = 'America/New_York';
    expect(replyDueFrom('2026-12-07T14:00:00Z', 'urgent', NY)).toBe('2026-12-14');
    expect(replyDueFrom('2026-12-07T14:00:00Z', 'stat', NY)).toBe('2026-12-09');
    expect(followUpDueFrom('2026-12-04T12:00:00Z', NY)).toBe('2026-12-08'); // Friday → Tuesday
    expect(followUpDueFrom('2026-12-07T12:00:00Z', NY)).toBe('2026-12-09'); // Monday → Wednesday
    expect(daysPast('2026-12-01', new Date('2026-12-05T23:00:00Z'), NY)).toBe(4);
    // The clinic's days, not UTC's: sent at 20:00 on Monday 7 December in New York (01:00 UTC on the
    // 8th), a stat reply is due on the 9th; a discharge at 21:00 on Thursday the 3rd is called by
    // Monday the 7th (UTC's Friday would make it Tuesday); at 20:00 on the 5th, a reply due on the
    // 1st is 4 days late, not 5.
    expect(replyDueFrom('2026-12-08T01:00:00Z', 'stat', NY)).toBe('2026-12-09');
    expect(followUpDueFrom('2026-12-04T02:00:00Z', NY)).toBe('2026-12-07');
    expect(daysPast('2026-12-01', new Date('2026-12-06T01:00:00Z'), NY)).toBe(4);
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
