import { describe, expect, it } from 'vitest';
import { displayDecimals, displayQuantity, displayValue, formatNumber, unitLabel } from '../../../../shared/domain/display-units';

describe('unit labels', () => {
  it('write UCUM codes as people read them', () => {
    expect(unitLabel('mm[Hg]')).toBe('mmHg');
    expect(unitLabel('10*3/uL')).toBe('10³/µL');
    expect(unitLabel('10*6/uL')).toBe('10⁶/µL');
    expect(unitLabel('10*9/L')).toBe('10⁹/L');
    expect(unitLabel('10^12/L')).toBe('10¹²/L');
    expect(unitLabel('Cel')).toBe('°C');
    expect(unitLabel('[degF]')).toBe('°F');
    expect(unitLabel('kg/m2')).toBe('kg/m²');
    expect(unitLabel('meq/L')).toBe('mEq/L');
    expect(unitLabel('mosm/kg')).toBe('mOsm/kg');
    expect(unitLabel('umol/L')).toBe('µmol/L');
    expect(unitLabel('ug/dL')).toBe('µg/dL');
    expect(unitLabel('u[IU]/mL')).toBe('µIU/mL');
    expect(unitLabel('m[IU]/L')).toBe('mIU/L');
    expect(unitLabel('[lb_av]')).toBe('lb');
    expect(unitLabel('[in_i]')).toBe('in');
    expect(unitLabel('cm[H2O]')).toBe('cmH2O');
    expect(unitLabel('{cells}/uL')).toBe('cells/µL');
    expect(unitLabel('mL/min/{1.73_m2}')).toBe('mL/min/1.73 m²');
    expect(unitLabel('g/(kg.d)')).toBe('g/(kg·d)');
    expect(unitLabel('/[HPF]')).toBe('/HPF');
  });

  it('leave plain units as they are and give a score, a ratio or pH no unit', () => {
    for (const u of ['mg/dL', '/min', '%', 'g/dL', 'mmol/L', 'fL', 'pg', 'ng/mL', 'U/L', 'mm/h', 's', 'lb', 'in', 'kg', 'cm', 'mmHg'])
      expect(unitLabel(u)).toBe(u);
    expect(unitLabel('{score}')).toBe('');
    expect(unitLabel('{ratio}')).toBe('');
    expect(unitLabel('[pH]')).toBe('');
    expect(unitLabel('1')).toBe('');
    expect(unitLabel(null)).toBe('');
    expect(unitLabel(undefined)).toBe('');
  });
});

describe('clinically rounded values', () => {
  it('show vital signs at the precision a clinician reads them, whatever an import carried', () => {
    expect(displayQuantity({ loinc: '8480-6', value: 121.21180588394303, unit: 'mm[Hg]' })).toBe('121 mmHg');
    expect(displayQuantity({ loinc: '8462-4', value: 79.5, unit: 'mm[Hg]' })).toBe('80 mmHg');
    expect(displayQuantity({ loinc: '8867-4', value: 72.6, unit: '/min' })).toBe('73/min');
    expect(displayQuantity({ loinc: '9279-1', value: 15.98, unit: '/min' })).toBe('16/min');
    expect(displayQuantity({ loinc: '8310-5', value: 37, unit: 'Cel' })).toBe('37.0 °C');
    expect(displayQuantity({ loinc: '8310-5', value: 37.0512, unit: 'Cel' })).toBe('37.1 °C');
    expect(displayQuantity({ loinc: '29463-7', value: 69.853, unit: 'kg' })).toBe('69.9 kg');
    expect(displayQuantity({ loinc: '8302-2', value: 177.8, unit: 'cm' })).toBe('177.8 cm');
    expect(displayQuantity({ loinc: '39156-5', value: 27.3456, unit: 'kg/m2' })).toBe('27.3 kg/m²');
    expect(displayQuantity({ loinc: '59408-5', value: 97.4, unit: '%' })).toBe('97 %');
    expect(displayQuantity({ loinc: '72514-3', value: 3, unit: '{score}' })).toBe('3');
  });

  it('round an imported lab float by its LOINC code, and a code without a rule to three significant figures', () => {
    expect(displayQuantity({ loinc: '2345-7', value: 87.23456, unit: 'mg/dL' })).toBe('87 mg/dL');
    expect(displayQuantity({ loinc: '4548-4', value: 6.0, unit: '%' })).toBe('6.0 %');
    expect(displayQuantity({ loinc: '6690-2', value: 7.2345, unit: '10*3/uL' })).toBe('7.2 10³/µL');
    expect(displayQuantity({ loinc: '2160-0', value: 1.0456, unit: 'mg/dL' })).toBe('1.05 mg/dL');
    expect(displayValue({ loinc: '99999-9', value: 121.21180588394303 })).toBe('121');
    expect(displayValue({ loinc: '99999-9', value: 12.34567 })).toBe('12.3');
    expect(displayValue({ loinc: '99999-9', value: 0.0123456 })).toBe('0.0123');
    expect(displayValue({ loinc: '99999-9', value: 12.5 })).toBe('12.5');
    expect(displayValue({ loinc: '99999-9', value: 12.25 })).toBe('12.25');
    expect(displayValue({ loinc: '99999-9', value: 1500 })).toBe('1500');
    expect(displayValue({ loinc: '99999-9', value: 2.0000001 })).toBe('2');
  });

  it('keep the string the lab sent, comparators included', () => {
    expect(displayValue({ loinc: '2823-3', value: 5.4, sent: '5.40' })).toBe('5.40');
    expect(displayValue({ loinc: '2345-7', value: 412, sent: '412' })).toBe('412');
    expect(displayValue({ loinc: '2345-7', value: 95, sent: '+95' })).toBe('95');
    // A sent string that is not the stored number (escaped, several repetitions) is not shown as the value.
    expect(displayValue({ loinc: '2345-7', value: 95, sent: '96' })).toBe('95');
    expect(displayValue({ loinc: '3016-3', value: 0.01, text: '<0.01', sent: '<0.01' })).toBe('<0.01');
    expect(displayValue({ loinc: '5778-6', value: null, text: 'Yellow' })).toBe('Yellow');
    expect(displayValue({ loinc: '2345-7', value: null })).toBe('');
    expect(displayQuantity({ loinc: '2345-7', value: null, unit: 'mg/dL' })).toBe('');
  });

  it('decide decimals by code first, then by unit', () => {
    expect(displayDecimals('8480-6')).toBe(0);
    expect(displayDecimals('unknown', 'mm[Hg]')).toBe(0);
    expect(displayDecimals('unknown', 'Cel')).toBe(1);
    expect(displayDecimals('unknown', 'mg/dL')).toBeNull();
    expect(displayDecimals(null, null)).toBeNull();
  });

  it('round half away from zero without binary surprises and never write -0', () => {
    expect(formatNumber(1.005, 2)).toBe('1.01');
    expect(formatNumber(-0.04, 1)).toBe('0.0');
    expect(formatNumber(-2.5, 0)).toBe('-3');
    expect(formatNumber(36.95, 1)).toBe('37.0');
  });
});
