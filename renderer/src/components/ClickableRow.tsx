import { Table, type TableTrProps } from '@mantine/core';
import type { KeyboardEvent, ReactElement } from 'react';

/** Enter or Space on a focused row does what a click does (the keys a button answers to). */
export function activateOnKey(activate: () => void): (e: KeyboardEvent<HTMLElement>) => void {
  return (e) => {
    if (e.target !== e.currentTarget) return; // a control inside the row handles its own keys
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      activate();
    }
  };
}

/**
 * A table row that opens something: reachable with Tab and operated with Enter or Space, not only
 * by the mouse. `label` is what a screen reader says it does ("Open the visit of 2024-03-02").
 */
export function ClickableRow({ onActivate, label, ...props }: TableTrProps & { onActivate: () => void; label?: string }): ReactElement {
  return (
    <Table.Tr
      {...props}
      tabIndex={0}
      data-clickable
      aria-label={label}
      onClick={onActivate}
      onKeyDown={activateOnKey(onActivate)}
    />
  );
}
