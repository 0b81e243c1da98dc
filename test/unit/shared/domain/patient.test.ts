import { describe, expect, it } from 'vitest';
import { ageLabel, deceasedRefusal, identityKey, patientInput, patientUpdate } from '../../../../shared/domain/patient';

describe('patient input schema', () => {
  it('normalises: trims, drops empty optional fields, defaults sex', () => {
    const p = patientInput.parse({ givenName: '  Ana ', familyName: 'Lima', birthDate: '1990-01-02', phone: '', email: '', mrn: '' });
    expect(p).toMatchObject({ givenName: 'Ana', sex: 'unknown', identifiers: [] });
    expect(p.phone).toBeUndefined();
    expect(p.email).toBeUndefined();
  });
  it('names each problem by field with a message a person can act on', () => {
    const r = patientInput.safeParse({ givenName: '', familyName: 'X', birthDate: '1990-02-30', phone: '12', email: 'nope', sex: 'robot', mrn: 'has space' });
    expect(r.success).toBe(false);
    const byPath = Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byPath['givenName']).toBe('given name is required');
    expect(byPath['birthDate']).toBe('invalid date "1990-02-30": use a real calendar date as YYYY-MM-DD');
    expect(byPath['phone']).toBe('phone must have 7 to 15 digits');
    expect(byPath['email']).toBe('email is not valid');
    expect(byPath['mrn']).toMatch(/letters, digits and dashes/);
    expect(byPath['sex']).toBeDefined();
  });
  it('refuses birth dates in the future', () => {
    const r = patientInput.safeParse({ givenName: 'A', familyName: 'B', birthDate: '2999-01-01' });
    expect(r.error?.issues[0]?.message).toBe('birth date 2999-01-01 is in the future');
  });
  it('takes a birth date that is already today somewhere (a newborn in Auckland while UTC is still on yesterday), not later', () => {
    const day = (offsetHours: number): string => new Date(Date.now() + offsetHours * 3_600_000).toISOString().slice(0, 10);
    const born = (birthDate: string): boolean => patientInput.safeParse({ givenName: 'A', familyName: 'B', birthDate, sex: 'female' }).success;
    expect(born(day(0))).toBe(true);
    expect(born(day(14))).toBe(true);
    expect(born(day(24 + 14))).toBe(false);
  });
});

describe('password policy', () => {
  it('refuses short, common and repeated-character passwords', async () => {
    const { password } = await import('../../../../shared/domain/user');
    expect(password.safeParse('short').error?.issues[0]?.message).toMatch(/^password must be at least 12 characters \(this one has 5\)/);
    // The breached-password list is the backend's (test/unit/electron/services/password-policy.test.ts); the form checks the rest.
    expect(password.safeParse('abcabcabcabc').error?.issues[0]?.message).toMatch(/^password repeats/);
    expect(password.safeParse('zzzzzzzzzzzz').success).toBe(false);
    expect(password.safeParse('correct horse battery').success).toBe(true);
  });
});

describe('typed dates, death, contacts', () => {
  it('reads a birth date typed as search reads it (03/14/1972, 3/4/1972) and keeps it as ISO', () => {
    expect(patientInput.parse({ givenName: 'A', familyName: 'B', birthDate: '03/14/1972' }).birthDate).toBe('1972-03-14');
    expect(patientInput.parse({ givenName: 'A', familyName: 'B', birthDate: ' 3/4/1972 ' }).birthDate).toBe('1972-03-04');
    expect(identityKey.parse({ givenName: 'A', familyName: 'B', birthDate: '12/31/1999', sex: 'male' }).birthDate).toBe('1999-12-31');
    expect(patientInput.safeParse({ givenName: 'A', familyName: 'B', birthDate: '13/01/1972' }).success).toBe(false);
  });

  it('shows a living age while alive, and the date of death with the age at death after', () => {
    expect(ageLabel({ birthDate: '1940-01-20', deceasedOn: null }, '2026-03-02')).toBe('86 y');
    expect(ageLabel({ birthDate: '1940-01-20', deceasedOn: '2006-05-08' }, '2026-03-02')).toBe('Deceased 2006-05-08 · aged 66 y');
    expect(deceasedRefusal({ deceasedOn: null }, 'prescribing')).toBeNull();
    expect(deceasedRefusal({ deceasedOn: '2006-05-08' }, 'prescribing')).toMatch(/^this patient died on 2006-05-08: prescribing is not possible/);
  });

  it('refuses a date of death before birth or in the future', () => {
    const r = patientInput.safeParse({ givenName: 'A', familyName: 'B', birthDate: '1950-01-01', deceasedOn: '1949-12-31' });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['deceasedOn', 'date of death 1949-12-31 is before the birth date 1950-01-01']]);
    expect(
      patientUpdate.safeParse({ id: '0190d9a4-0000-7000-8000-000000000001', expectedVersion: 1, deceasedOn: '2999-01-01' }).error?.issues[0]?.message,
    ).toBe('date of death 2999-01-01 is in the future');
  });

  it('needs an emergency contact’s name and phone, and a guarantor other than the patient by name', () => {
    const ok = patientInput.parse({
      givenName: 'A',
      familyName: 'B',
      birthDate: '1990-01-01',
      emergencyContact: { name: 'C', relationship: '', phone: '555-0100123' },
      guarantor: { relationship: 'self', name: '' },
    });
    expect(ok.emergencyContact).toEqual({ name: 'C', phone: '555-0100123' });
    expect(ok.guarantor).toEqual({ relationship: 'self' });
    // Nothing typed in either section is not an error.
    expect(
      patientInput.safeParse({
        givenName: 'A',
        familyName: 'B',
        birthDate: '1990-01-01',
        emergencyContact: { name: '', relationship: '', phone: '' },
        guarantor: { relationship: null, name: '', phone: '', address: '' },
      }).success,
    ).toBe(true);
    const r = patientInput.safeParse({
      givenName: 'A',
      familyName: 'B',
      birthDate: '1990-01-01',
      emergencyContact: { phone: '555-0100123' },
      guarantor: { name: 'D' },
    });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['emergencyContact.name', 'guarantor.relationship']);
  });
});
