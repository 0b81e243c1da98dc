import { Alert, AppShell, Burger, Button, Divider, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useState, type ReactElement } from 'react';
import type { ChartRef } from '../../../shared/api/portal-http';
import { portalApi } from './api/portal-api';
import { ErrorNote } from './components/ErrorNote';
import { LanguageSwitch } from './components/LanguageSwitch';
import { MAIN_ID, SkipLink } from './components/SkipLink';
import { isSignedOut } from './i18n/errors';
import type { MessageKey } from './i18n/i18n';
import { useI18n } from './i18n/use-i18n';
import { href, useRoute, type Route } from './router';
import { AccountScreen } from './screens/account/AccountScreen';
import { AppointmentsScreen } from './screens/appointments/AppointmentsScreen';
import { BookScreen } from './screens/appointments/BookScreen';
import { RequestVisitScreen } from './screens/appointments/RequestVisitScreen';
import { ChartPicker } from './screens/ChartPicker';
import { FillFormScreen } from './screens/forms/FillFormScreen';
import { FormsScreen } from './screens/forms/FormsScreen';
import { HealthScreen } from './screens/health/HealthScreen';
import { HomeScreen } from './screens/HomeScreen';
import { MessagesScreen } from './screens/messages/MessagesScreen';
import { NewMessageScreen } from './screens/messages/NewMessageScreen';
import { ThreadScreen } from './screens/messages/ThreadScreen';
import { RecordScreen } from './screens/RecordScreen';
import { ResultsScreen } from './screens/results/ResultsScreen';
import { useChart, usePortal } from './state/portal.store';

const NAV: { route: Route['name']; key: MessageKey; also?: Route['name'][] }[] = [
  { route: 'home', key: 'nav.home' },
  { route: 'health', key: 'nav.health' },
  { route: 'results', key: 'nav.results' },
  { route: 'appointments', key: 'nav.appointments', also: ['book', 'request'] },
  { route: 'messages', key: 'nav.messages', also: ['thread', 'newMessage'] },
  { route: 'forms', key: 'nav.forms', also: ['form'] },
  { route: 'record', key: 'nav.record' },
  { route: 'account', key: 'nav.account' },
];

function Screen({ route, chart }: { route: Route; chart: ChartRef }): ReactElement {
  const p = chart.patientId;
  switch (route.name) {
    case 'signin':
    case 'register':
    case 'home':
      return <HomeScreen chart={chart} />;
    case 'charts':
      return <ChartPicker />;
    case 'health':
      return <HealthScreen patientId={p} />;
    case 'results':
      return <ResultsScreen patientId={p} />;
    case 'appointments':
      return <AppointmentsScreen patientId={p} />;
    case 'book':
      return <BookScreen patientId={p} />;
    case 'request':
      return <RequestVisitScreen patientId={p} />;
    case 'messages':
      return <MessagesScreen patientId={p} />;
    case 'newMessage':
      return <NewMessageScreen patientId={p} />;
    case 'thread':
      return <ThreadScreen patientId={p} threadId={route.id} />;
    case 'forms':
      return <FormsScreen patientId={p} />;
    case 'form':
      return <FillFormScreen patientId={p} formId={route.id} appointmentId={route.appointmentId} />;
    case 'record':
      return <RecordScreen patientId={p} />;
    case 'account':
      return <AccountScreen />;
  }
}

/** A parent or guardian always sees whose chart this is. */
function ProxyBanner({ chart }: { chart: ChartRef }): ReactElement | null {
  const { t } = useI18n();
  if (chart.kind !== 'proxy') return null;
  return (
    <Alert role="note" color="grape" variant="light" mb="md" data-testid="proxy-banner">
      <Text fw={600}>{t('charts.proxyBanner', { name: chart.name })}</Text>
    </Alert>
  );
}

/** The signed-in portal: header (clinic, language, menu on phones), the sections' menu, and the screen. */
export function Shell(): ReactElement {
  const { t } = useI18n();
  const session = usePortal((s) => s.session);
  const clinic = usePortal((s) => s.clinic.name);
  const signedOut = usePortal((s) => s.signedOut);
  const chart = useChart();
  const route = useRoute();
  const [opened, menu] = useDisclosure(false);
  const phone = useMediaQuery('(max-width: 47.99em)') ?? false;
  const [signOutFailure, setSignOutFailure] = useState<unknown>(null);
  // Important: only a sign-out the server confirmed (or a session already gone) shows the sign-in
  // screen; otherwise the session would live on behind a screen that says it ended (a shared computer).
  const signOut = (): void => {
    menu.close();
    setSignOutFailure(null);
    portalApi.signOut().then(
      () => signedOut('signin.signedOut'),
      (e: unknown) => (isSignedOut(e) ? signedOut('signin.signedOut') : setSignOutFailure(e)),
    );
  };
  const many = (session?.charts.length ?? 0) > 1;
  const picking = chart === null || route.name === 'charts';
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={opened}
              onClick={menu.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('app.menu')}
              aria-expanded={opened}
              aria-controls="portal-menu"
            />
            <Text fw={700} truncate>
              {clinic || t('app.title')}
            </Text>
          </Group>
          <LanguageSwitch />
        </Group>
      </AppShell.Header>
      {/* Important: off-screen on a phone while closed, so inert: no tab stop may hide behind it. */}
      <AppShell.Navbar id="portal-menu" p="sm" aria-label={t('app.nav')} inert={phone && !opened}>
        <Stack gap={4} style={{ overflowY: 'auto' }}>
          {chart && !picking && (
            <>
              <Text size="sm" fw={600} px="sm" pt={4}>
                {chart.kind === 'self' ? t('charts.self', { name: chart.name }) : t('charts.proxy', { name: chart.name })}
              </Text>
              {many && <NavLink component="a" href={href({ name: 'charts' })} label={t('nav.charts')} onClick={menu.close} />}
              <Divider my={4} />
              {NAV.map((n) => {
                const active = route.name === n.route || (n.also?.includes(route.name) ?? false);
                return (
                  <NavLink
                    key={n.route}
                    component="a"
                    href={href({ name: n.route } as Route)}
                    label={t(n.key)}
                    active={active}
                    aria-current={active ? 'page' : undefined}
                    // Choosing a section on a phone closes the menu.
                    onClick={menu.close}
                  />
                );
              })}
            </>
          )}
          <Divider my={4} />
          <Button variant="default" onClick={signOut}>
            {t('nav.signOut')}
          </Button>
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID}>
        <div style={{ maxWidth: 960 }}>
          {signOutFailure !== null && <ErrorNote error={signOutFailure} />}
          {picking ? (
            <ChartPicker />
          ) : (
            <>
              <ProxyBanner chart={chart} />
              <Screen route={route} chart={chart} />
            </>
          )}
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
