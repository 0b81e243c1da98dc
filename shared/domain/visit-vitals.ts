import type { VitalObservation } from './chart';
import { displayQuantity, unitLabel } from './display-units';

/**
 * A visit's vitals as its summary says them (the printed visit summary on the desktop, the visit
 * summaries on the patient portal): in the unit they were typed in ("Body weight: 154 lb (69.9 kg)",
 * "Body temperature: 98.6 °F (37.0 °C)"), the stored UCUM value beside when it differs; values that
 * were not converted (blood pressure, rates) as read ("Systolic blood pressure: 121 mmHg").
 */
export function vitalLines(vitals: readonly Pick<VitalObservation, 'loinc' | 'value' | 'unit' | 'enteredAs' | 'display' | 'interpretation'>[]): string[] {
  return vitals.map((v) => {
    const stored = displayQuantity({ loinc: v.loinc, value: v.value, unit: v.unit });
    // entered_as is "VALUE UNIT" as typed (vitals.repo's enteredAs), e.g. "154 lb", "98.6 [degF]".
    const typed = /^(\S+) (\S.*)$/.exec(v.enteredAs ?? '');
    const shown = typed && typed[2] !== v.unit ? `${typed[1]} ${unitLabel(typed[2])} (${stored})` : stored;
    return `${v.display}: ${shown}${v.interpretation && v.interpretation !== 'N' ? ` (${v.interpretation})` : ''}`;
  });
}
