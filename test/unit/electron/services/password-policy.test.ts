import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPassword, commonPasswords, commonPasswordsFile } from '../../../../electron/services/auth/password-policy';
import { passwordProblem } from '../../../../shared/domain/password-policy';
import { contract } from '../../../../shared/api/contract';
import { Resources } from '../../../../electron/services/resources/resources';
import { resourcesDir } from '../../../helpers/temp-db';

const resources = new Resources(resourcesDir);

const clinic = { username: 'mgray', displayName: 'Dr. Meredith Gray', clinicName: 'Hilltop Family Clinic' };
const check = (p: string, ctx = clinic): string | null => checkPassword(p, ctx, resources);

describe('the staff password policy', () => {
  it('ships a breached/common password list of at least 10,000 entries with its source and licence', () => {
    expect(commonPasswords(resources).size).toBeGreaterThanOrEqual(10_000);
    const readme = readFileSync(commonPasswordsFile(resources).replace('common-passwords.txt', 'README.md'), 'utf8');
    expect(readme).toMatch(/@zxcvbn-ts\/language-common/);
    expect(readme).toMatch(/Licence\*\*: MIT/);
  });

  it.each([
    'Password1!',
    'Welcome123!',
    'Summer2026!',
    'passwordpassword',
    'Password1234!',
    'Welcome12345!',
    'Summer2026!!!',
    'P@ssw0rd2026!',
    'Sunsh1ne-2026',
    'football football',
    'qwertyuiop123',
  ])('refuses %s', (p) => {
    expect(check(p)).not.toBeNull();
  });

  it('refuses the clinic name, the user name and the person name with digits, symbols or leet added', () => {
    expect(check('HilltopFamilyClinic1!')).toMatch(/^password is built from the clinic's name/);
    expect(check('Hilltop Clinic 2026')).toMatch(/^password is built from the clinic's name/);
    expect(check('mgray12345678')).toMatch(/^password is built from the user name \("mgray"/);
    expect(check('M3r3d1th.Gray.77')).toMatch(/^password is built from the person's name/);
    expect(check('Cairn-Cairn-2026')).not.toBeNull();
    expect(check('C@irnC@irn2026!')).toMatch(/the name of the product|repeats/);
    expect(check('cairnpassword1')).toMatch(/^password is built from the name of the product/);
  });

  it('says why in words and what to do', () => {
    expect(check('Summer2026!')).toBe(
      'password must be at least 12 characters (this one has 11): use three or four unrelated words, e.g. "violet anchor marble kettle"',
    );
    expect(check('Summer2026!!!')).toBe(
      'password is on a list of breached or common passwords (as "summer"; digits and symbols added to a common word do not make it safe): use three or four unrelated words, e.g. "violet anchor marble kettle"',
    );
    expect(check('passwordpassword')).toMatch(/^password repeats the same characters or word/);
    expect(check('123456789012')).toMatch(/^password is a keyboard or counting sequence/);
    expect(check('x'.repeat(129))).toBe('password must be at most 128 characters');
  });

  it('accepts a long passphrase, and long random passwords (no composition rules)', () => {
    expect(check('violet anchor marble kettle')).toBeNull();
    expect(check('correct horse battery staple')).toBeNull();
    // A name among other words is fine: only a password that is little more than a name is refused.
    expect(check('gray wolves sing at dawn')).toBeNull();
    expect(check('otters juggle quietly at noon')).toBeNull();
    expect(check('xk9mq2vl7pr4tz')).toBeNull();
    expect(check('a'.repeat(2) + 'b7Qz!mW3#pLx9vR2' + 'y'.repeat(46))).toBeNull();
  });

  it('the forms check all but the list: the same messages come from the shared schema', () => {
    expect(passwordProblem('Summer2026!')).toMatch(/at least 12 characters/);
    // The list is the backend's: without it a common word with digits passes the form and is refused by the backend.
    expect(passwordProblem('Summer2026!!!')).toBeNull();
    const r = contract['users.create'].input.safeParse({ username: 'mgray', displayName: 'Dr. Meredith Gray', role: 'physician', password: 'mgray12345678!' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['password'], message: expect.stringMatching(/^password is built from the user name/) as unknown });
    const setup = contract['session.setup'].input.safeParse({
      clinicName: 'Hilltop Family Clinic',
      passphrase: 'a long clinic passphrase',
      adminUsername: 'ada',
      adminDisplayName: 'Ada Admin',
      adminPassword: 'Hilltop Family 99',
    });
    expect(setup.error?.issues[0]).toMatchObject({ path: ['adminPassword'], message: expect.stringMatching(/clinic's name/) as unknown });
  });
});
