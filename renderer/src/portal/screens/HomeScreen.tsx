import { Anchor, Card, SimpleGrid, Text, Title } from '@mantine/core';
import { useId, type ReactElement, type ReactNode } from 'react';
import type { ChartRef } from '../../../../shared/api/portal-http';
import { portalApi } from '../api/portal-api';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { ScreenTitle } from '../components/ScreenTitle';
import { useLoad, type Load } from '../components/use-load';
import { useI18n } from '../i18n/use-i18n';
import { href, type Route } from '../router';
import { newResults, unreadThreads } from '../state/seen';
import { usePortal } from '../state/portal.store';

function HomeCard<T>({
  title,
  load,
  link,
  linkText,
  children,
}: {
  title: string;
  load: Load<T>;
  link: Route;
  linkText: string;
  children: (d: T) => ReactNode;
}): ReactElement {
  const id = useId();
  return (
    <Card component="section" withBorder padding="md" aria-labelledby={id}>
      <Title order={2} id={id} fz={20} mb="xs">
        {title}
      </Title>
      {load.error ? <ErrorNote error={load.error} onRetry={load.reload} /> : load.data === undefined ? <Loading /> : children(load.data)}
      <Anchor href={href(link)} mt="sm" fw={600}>
        {linkText}
      </Anchor>
    </Card>
  );
}

/** What needs the patient's attention: the next visit, new results, unread messages, forms to fill. */
export function HomeScreen({ chart }: { chart: ChartRef }): ReactElement {
  const { t, fmt } = useI18n();
  const accountId = usePortal((s) => s.session?.account.id ?? '');
  const displayName = usePortal((s) => s.session?.account.displayName ?? '');
  const p = chart.patientId;
  const appointments = useLoad(`appts:${p}`, () => portalApi.appointments(p));
  const results = useLoad(`results:${p}`, () => portalApi.results(p));
  const threads = useLoad(`threads:${p}`, () => portalApi.threads(p));
  const forms = useLoad(`forms:${p}`, () => portalApi.formsDue(p));
  return (
    <>
      <ScreenTitle>{chart.kind === 'self' ? t('home.title', { name: displayName || chart.name }) : t('home.titleProxy', { name: chart.name })}</ScreenTitle>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" mt="md">
        <HomeCard title={t('home.nextVisit')} load={appointments} link={{ name: 'appointments' }} linkText={t('home.seeAppointments')}>
          {(a) => {
            const next = a.upcoming[0];
            return next ? (
              <Text data-testid="home-next-visit">
                <strong>{fmt.dateTime(next.start)}</strong>
                <br />
                {next.typeName}
                {next.clinician ? ` · ${next.clinician}` : ''}
              </Text>
            ) : (
              <Text>{t('home.noVisit')}</Text>
            );
          }}
        </HomeCard>
        <HomeCard title={t('home.results')} load={results} link={{ name: 'results' }} linkText={t('home.seeResults')}>
          {(r) => {
            const n = newResults(accountId, p, r).length;
            return <Text data-testid="home-new-results">{n === 0 ? t('home.noNewResults') : n === 1 ? t('home.newResult') : t('home.newResults', { n })}</Text>;
          }}
        </HomeCard>
        <HomeCard title={t('home.messages')} load={threads} link={{ name: 'messages' }} linkText={t('home.seeMessages')}>
          {(th) => {
            const n = unreadThreads(accountId, p, th).size;
            return <Text data-testid="home-unread">{n === 0 ? t('home.noUnread') : n === 1 ? t('home.unreadOne') : t('home.unread', { n })}</Text>;
          }}
        </HomeCard>
        <HomeCard title={t('home.forms')} load={forms} link={{ name: 'forms' }} linkText={t('home.seeForms')}>
          {(f) => {
            const n = f.filter((x) => x.submittedAt === null).length;
            return <Text data-testid="home-forms">{n === 0 ? t('home.noForms') : n === 1 ? t('home.formDue') : t('home.formsDue', { n })}</Text>;
          }}
        </HomeCard>
      </SimpleGrid>
    </>
  );
}
