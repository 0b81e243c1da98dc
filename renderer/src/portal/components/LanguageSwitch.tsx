import { Button, Group } from '@mantine/core';
import type { ReactElement } from 'react';
import { LANGUAGES } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import { usePortal } from '../state/portal.store';

/**
 * Always in view: one button per language, each named in its own language (and marked `lang`, so
 * a screen reader says "Español" as Spanish); the current one is pressed.
 */
export function LanguageSwitch(): ReactElement {
  const { t, language } = useI18n();
  const setLanguage = usePortal((s) => s.setLanguage);
  return (
    <Group role="group" aria-label={t('lang.switch')} gap={4} wrap="nowrap">
      {LANGUAGES.map((l) => (
        <Button
          key={l}
          size="compact-sm"
          variant={l === language ? 'filled' : 'default'}
          aria-pressed={l === language}
          lang={l}
          onClick={() => void setLanguage(l)}
        >
          {t(`lang.${l}`)}
        </Button>
      ))}
    </Group>
  );
}
