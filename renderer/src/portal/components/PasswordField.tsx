import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import type { ReactElement } from 'react';
import { useI18n } from '../i18n/use-i18n';

/** Mantine's password input with its show/hide button named in the patient's language (Mantine names it in English). */
export function PasswordField(props: PasswordInputProps): ReactElement {
  const { t } = useI18n();
  return <PasswordInput {...props} visibilityToggleButtonProps={{ 'aria-label': t('signin.showPassword') }} />;
}
