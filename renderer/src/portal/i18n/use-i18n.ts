import { useMemo } from 'react';
import type { PortalLanguage } from '../../../../shared/domain/portal';
import { usePortal } from '../state/portal.store';
import { makeFormatter, type Formatter } from './format';
import { translator, type Translate } from './i18n';

export interface I18n {
  language: PortalLanguage;
  t: Translate;
  fmt: Formatter;
}

/** The catalogue and formatter of the chosen language, in the clinic's time zone. */
export function useI18n(): I18n {
  const language = usePortal((s) => s.language);
  const timeZone = usePortal((s) => s.clinic.timeZone);
  return useMemo(() => {
    const t = translator(language);
    return { language, t, fmt: makeFormatter(language, timeZone, t) };
  }, [language, timeZone]);
}
