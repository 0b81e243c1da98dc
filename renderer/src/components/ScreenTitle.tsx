import { Title } from '@mantine/core';
import { useEffect, useRef, type ReactElement, type ReactNode } from 'react';

/** What a screen itself put the caret in (a search box, the first field): it keeps focus. */
const FIELD = 'input, textarea, select, [contenteditable="true"]';

/**
 * A screen's one h1. It names the window ("Chart — Núñez, José · Cairn") and takes focus when the
 * screen opens, so a screen reader announces the new screen and Tab starts from it. Important:
 * without this, focus falls to the page body on every screen change (the control that was used is
 * gone), and a keyboard user starts again from the top of the page.
 */
export function ScreenTitle({ title, children, testId, id }: { title: string; children?: ReactNode; testId?: string; id?: string }): ReactElement {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Cairn`;
  }, [title]);
  useEffect(() => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && active.matches(FIELD)) return;
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <Title order={1} size="h2" ref={ref} tabIndex={-1} id={id} className="cairn-screen-title" data-testid={testId ?? 'screen-title'}>
      {children ?? title}
    </Title>
  );
}
