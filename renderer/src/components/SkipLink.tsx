import type { ReactElement } from 'react';

/** The id of the element that holds each screen (AppShell.Main). */
export const MAIN_ID = 'main-content';

/** First in the tab order: jumps past the header and navigation to the screen itself. */
export function SkipLink(): ReactElement {
  return (
    <a
      className="cairn-skip-link"
      href={`#${MAIN_ID}`}
      onClick={(e) => {
        e.preventDefault();
        const main = document.getElementById(MAIN_ID);
        (main?.querySelector<HTMLElement>('h1[tabindex]') ?? main)?.focus();
      }}
    >
      Skip to main content
    </a>
  );
}
