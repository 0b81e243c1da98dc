import { Button, type ButtonProps } from '@mantine/core';
import type { ReactElement, ReactNode } from 'react';

/**
 * A main navigation entry: the current screen's entry is marked for assistive technology
 * (aria-current="page") and shown as such, the others are plain.
 */
export function NavButton({
  active,
  onClick,
  children,
  ...props
}: ButtonProps & { active: boolean; onClick: () => void; children: ReactNode; 'data-testid'?: string }): ReactElement {
  return (
    <Button {...props} variant={active ? 'light' : 'subtle'} aria-current={active ? 'page' : undefined} onClick={onClick}>
      {children}
    </Button>
  );
}
