import { Title } from '@mantine/core';
import { useEffect, useRef, type ReactElement, type ReactNode } from 'react';

/**
 * A screen's one h1. It takes focus when the screen opens, so a screen reader announces the new
 * screen and the keyboard starts from it (the hash router swaps screens without a page load).
 */
export function ScreenTitle({ children }: { children: ReactNode }): ReactElement {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus({ preventScroll: false }), []);
  return (
    <Title order={1} ref={ref} tabIndex={-1} className="portal-screen-title" fz={{ base: 26, sm: 32 }} mb="sm">
      {children}
    </Title>
  );
}
