import { Button, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import { ScreenTitle } from '../components/ScreenTitle';
import { useI18n } from '../i18n/use-i18n';
import { go } from '../router';
import { usePortal } from '../state/portal.store';

/** For an account with several charts (its own and children's as their parent or guardian): which one to open. */
export function ChartPicker(): ReactElement {
  const { t, fmt } = useI18n();
  const charts = usePortal((s) => s.session?.charts ?? []);
  const current = usePortal((s) => s.chartId);
  const pick = usePortal((s) => s.pickChart);
  return (
    <>
      <ScreenTitle>{t('charts.title')}</ScreenTitle>
      <Stack component="ul" gap="sm" p={0} style={{ listStyle: 'none' }} maw={480}>
        {charts.map((c) => (
          <li key={c.patientId}>
            <Button
              variant={c.patientId === current ? 'light' : 'default'}
              fullWidth
              h="auto"
              py="sm"
              justify="flex-start"
              aria-current={c.patientId === current ? 'true' : undefined}
              onClick={() => {
                pick(c.patientId);
                go({ name: 'home' });
              }}
            >
              <Stack gap={2} align="flex-start">
                <Text fw={700} inherit>
                  {c.kind === 'self' ? t('charts.self', { name: c.name }) : t('charts.proxy', { name: c.name })}
                </Text>
                <Text size="sm" inherit fw={400}>
                  {t('charts.born', { date: fmt.day(c.birthDate) })}
                </Text>
              </Stack>
            </Button>
          </li>
        ))}
      </Stack>
    </>
  );
}
