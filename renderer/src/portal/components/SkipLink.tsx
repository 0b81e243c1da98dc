import type { ReactElement } from 'react';
import { useI18n } from '../i18n/use-i18n';

export const MAIN_ID = 'main-content';

/** First in the tab order: past the header and menu to the screen's heading. */
export function SkipLink(): ReactElement {
  const { t } = useI18n();
  return (
    <a
      className="portal-skip-link"
      href={`#${MAIN_ID}`}
      onClick={(e) => {
        // The hash is the router's: move focus without navigating.
        e.preventDefault();
        const main = document.getElementById(MAIN_ID);
        (main?.querySelector<HTMLElement>('h1[tabindex]') ?? main)?.focus();
      }}
    >
      {t('app.skip')}
    </a>
  );
}
