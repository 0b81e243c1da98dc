import { describe, expect, it } from 'vitest';
import { patientInput } from '../../../../shared/domain/patient';

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
