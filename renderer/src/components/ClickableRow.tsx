import { Table, type TableTrProps } from '@mantine/core';
import type { KeyboardEvent, ReactElement } from 'react';

/** Enter or Space on a focused row or card does what a click does (the keys a button answers to). */
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
 * by the mouse, with a visible focus ring (components/a11y.css). Without `onActivate` (the person
 * may not open it) it is a plain row.
 */
export function ClickableRow({ onActivate, ...props }: TableTrProps & { onActivate: (() => void) | undefined }): ReactElement {
  if (!onActivate) return <Table.Tr {...props} />;
  return <Table.Tr {...props} tabIndex={0} data-clickable onClick={onActivate} onKeyDown={activateOnKey(onActivate)} />;
}
