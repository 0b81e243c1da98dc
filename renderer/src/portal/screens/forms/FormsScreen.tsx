import { Badge, Button, Card, Stack, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import { portalApi } from '../../api/portal-api';
import { Loaded } from '../../components/Loaded';
import { ScreenTitle } from '../../components/ScreenTitle';
import { useLoad } from '../../components/use-load';
import { useI18n } from '../../i18n/use-i18n';
import { href } from '../../router';

/** The forms the clinic asks for before a visit, each with the visit it is for and whether it was sent. */
export function FormsScreen({ patientId }: { patientId: string }): ReactElement {
  const { t, fmt, language } = useI18n();
  const forms = useLoad(`forms:${patientId}`, () => portalApi.formsDue(patientId));
  return (
    <>
      <ScreenTitle>{t('forms.title')}</ScreenTitle>
      <Text mb="md">{t('forms.intro')}</Text>
      <Loaded load={forms}>
        {(list) =>
          list.length === 0 ? (
            <Text c="dimmed">{t('forms.none')}</Text>
          ) : (
            <Stack component="ul" gap="sm" p={0} style={{ listStyle: 'none' }}>
              {list.map((f) => {
                const title = f.title[language];
                return (
                  <Card component="li" key={`${f.formId}:${f.appointmentId ?? ''}`} withBorder data-testid="form-due">
                    <Title order={2} fz={18}>
                      {title}
                    </Title>
                    <Text size="sm">{f.appointmentStart ? t('forms.before', { date: fmt.dateTime(f.appointmentStart) }) : t('forms.anyTime')}</Text>
                    {f.submittedAt && (
                      <Badge color="teal" variant="light" tt="none" mt={4}>
                        {t('forms.sent', { date: fmt.date(f.submittedAt) })}
                      </Badge>
                    )}
                    <div>
                      <Button
                        component="a"
                        href={href({ name: 'form', id: f.formId, appointmentId: f.appointmentId })}
                        mt="sm"
                        variant={f.submittedAt ? 'default' : 'filled'}
                        aria-label={f.submittedAt ? `${t('forms.fillAgain')}: ${title}` : undefined}
                      >
                        {f.submittedAt ? t('forms.fillAgain') : t('forms.fill', { title })}
                      </Button>
                    </div>
                  </Card>
                );
              })}
            </Stack>
          )
        }
      </Loaded>
    </>
  );
}
