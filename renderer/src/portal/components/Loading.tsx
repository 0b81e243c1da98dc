import { Group, Loader, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import { useI18n } from '../i18n/use-i18n';

export function Loading(): ReactElement {
  const { t } = useI18n();
  return (
    <Group role="status" gap="xs" my="md">
      <Loader size="sm" aria-hidden />
      <Text>{t('app.loading')}</Text>
    </Group>
  );
}
