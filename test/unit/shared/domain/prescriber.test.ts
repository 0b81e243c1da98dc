import { describe, expect, it } from 'vitest';
import { clinicAddressLine, clinicSettings, dea, deaCheckDigit, npi, npiCheckDigit, npiOrNone } from '../../../../shared/domain/prescriber';

const message = (r: { success: boolean; error?: { issues: { message: string }[] } }): string => r.error?.issues[0]?.message ?? '';

describe('NPI and DEA number checks', () => {
  it('computes the NPI check digit over the 80840 prefix (CMS worked example 123456789 → 3)', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(npi.safeParse('1234567893').success).toBe(true);
    // Every other last digit fails, with the reason.
    for (let d = 0; d <= 9; d++) {
      if (d === 3) continue;
      expect(message(npi.safeParse(`123456789${d}`))).toBe(
        `NPI "123456789${d}" fails its check digit, so a digit is mistyped: copy it again from the NPPES registry`,
      );
    }
    // A swap of two neighbouring digits is caught.
    expect(npi.safeParse('1234567983').success).toBe(false);
    expect(message(npi.safeParse('123456789'))).toBe('NPI "123456789" must be exactly 10 digits');
    expect(message(npi.safeParse('3234567893'))).toBe('NPI "3234567893" must begin with 1 or 2');
    expect(npi.parse(' 1234-567-893 ')).toBe('1234567893');
  });

  it('computes the DEA check digit as (d1+d3+d5) + 2(d2+d4+d6), last digit', () => {
    // 1+3+5 = 9; 2×(2+4+6) = 24; 33 → 3.
    expect(deaCheckDigit('1234563')).toBe(3);
    expect(dea.parse('ah 1234563')).toBe('AH1234563');
    expect(message(dea.safeParse('AH1234564'))).toContain('DEA number "AH1234564" fails its check digit');
    expect(message(dea.safeParse('A11234563'))).toBe('DEA number "A11234563" must be 2 letters then 7 digits (e.g. AB1234563)');
    expect(message(dea.safeParse('AH123456'))).toContain('must be 2 letters then 7 digits');
  });

  it('treats an empty field as "not recorded"', () => {
    expect(npiOrNone.parse('')).toBeNull();
    expect(npiOrNone.parse('  ')).toBeNull();
    expect(npiOrNone.parse(null)).toBeNull();
  });
});

describe('the clinic address', () => {
  it('needs at least one address line, drops empty ones, and prints as one line', () => {
    const c = clinicSettings.parse({ name: ' Hilltop ', addressLines: ['12 Quarry Road', '', 'Springfield, IL 62704'], phone: '' });
    expect(c).toEqual({ name: 'Hilltop', addressLines: ['12 Quarry Road', 'Springfield, IL 62704'], phone: null });
    expect(clinicAddressLine(c)).toBe('12 Quarry Road, Springfield, IL 62704');
    expect(clinicAddressLine({ ...c, phone: '217-555-0142' })).toBe('12 Quarry Road, Springfield, IL 62704 \u00B7 Tel 217-555-0142');
    expect(clinicAddressLine({ ...c, addressLines: [] })).toBeNull();
    expect(message(clinicSettings.safeParse({ name: 'Hilltop', addressLines: [''] }))).toContain('give the clinic address');
    expect(message(clinicSettings.safeParse({ name: '', addressLines: ['1 Main St'] }))).toBe('clinic name is required');
  });
});
