import { NumberInput, type NumberInputProps } from '@mantine/core';
import type { FocusEvent, MouseEvent, ReactElement } from 'react';

/**
 * Focus handlers for a clinical number field: focusing selects the whole value, so typing replaces
 * it. Important: with the caret left at the end, tabbing into a prefilled dose of "1" and typing
 * 500 gives 1500 — a tenfold-plus error the dose check may or may not catch.
 */
export const selectOnFocus = {
  onFocus: (e: FocusEvent<HTMLInputElement>): void => {
    e.currentTarget.select();
    e.currentTarget.dataset['justFocused'] = '1';
  },
  // A click that focuses the field would otherwise collapse the selection on mouse-up.
  onMouseUp: (e: MouseEvent<HTMLInputElement>): void => {
    if (e.currentTarget.dataset['justFocused']) e.preventDefault();
    delete e.currentTarget.dataset['justFocused'];
  },
  onBlur: (e: FocusEvent<HTMLInputElement>): void => {
    delete e.currentTarget.dataset['justFocused'];
  },
};

/**
 * Mantine's NumberInput whose value is selected on focus (doses, quantities, refills, vitals). The
 * capture phase is used because the number formatter underneath reports focus only after a timer,
 * by which time fast typing has already landed after the old value.
 */
export function ClinicalNumberInput(props: NumberInputProps): ReactElement {
  return <NumberInput {...props} onFocusCapture={selectOnFocus.onFocus} onMouseUpCapture={selectOnFocus.onMouseUp} onBlurCapture={selectOnFocus.onBlur} />;
}
