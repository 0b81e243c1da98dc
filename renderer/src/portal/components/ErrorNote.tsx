import { Alert, Button } from '@mantine/core';
import type { ReactElement } from 'react';
import { errorText } from '../i18n/errors';
import { useI18n } from '../i18n/use-i18n';

/** A refusal or failure in words the patient can act on, announced (role=alert), with a retry when given. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }): ReactElement {
  const { t } = useI18n();
  return (
    <Alert color="red" role="alert" variant="light" my="sm">
      {errorText(t, error)}
      {onRetry && (
        <Button variant="default" size="compact-sm" ml="sm" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}
