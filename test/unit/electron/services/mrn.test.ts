import { describe, expect, it } from 'vitest';
import { isValidMrnCheck, luhnDigit } from '../../../../electron/services/repos/mrn';
import { lockoutSeconds } from '../../../../electron/services/repos/users.repo';

describe('MRN check digit', () => {
  it('is the Luhn digit', () => {
    expect(luhnDigit('7992739871')).toBe(3); // the textbook Luhn example
    expect(isValidMrnCheck('1000009')).toBe(true);
    expect(isValidMrnCheck('1000008')).toBe(false);
    expect(isValidMrnCheck('1000109')).toBe(false); // a single mistyped digit is caught
  });
});

describe('sign-in lockout', () => {
  it('lets five tries through, then doubles the wait up to an hour', () => {
    expect([1, 4, 5, 6, 7, 20].map(lockoutSeconds)).toEqual([0, 0, 30, 60, 120, 3600]);
  });
});
