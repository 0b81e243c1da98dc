import { AppShell, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import type { ReactElement } from 'react';
import { AuditViewer } from './features/audit';
import { DoctorPage } from './features/doctor';
import { EncounterWorkspace } from './features/encounters';
import { ChartPage, PatientSearch, RegisterPatient } from './features/patients';
import { UsersScreen } from './features/users';
import { SessionGate } from './features/session';
import { ConflictsNavButton, ConflictsScreen, SyncIndicator } from './features/sync';
import { LabsScreen, ResultsNavButton } from './features/labs';
import { FlowBoard, ScheduleScreen } from './features/schedule';
import { ImportScreen } from './features/import';
import { PopulationScreen } from './features/population';
import { BillingScreen } from './features/billing';
import { PortalInbox, PortalNavButton } from './features/portal';
import { InboxNavButton, InboxScreen } from './features/documents';
import { ReferralsScreen } from './features/referrals';
import { CareScreen } from './features/care';
import { MAIN_ID, NavButton, SkipLink } from './components';
import { PatientHeader } from './components/PatientBanner';
import { api } from './lib/api';
import { useNav } from './stores/nav.store';
import { homeView, mayShow } from './stores/screens';
import { useSession } from './stores/session.store';

function Shell(): ReactElement {
  const go = useNav((s) => s.go);
  const session = useSession((s) => s.session);
  const run = useSession((s) => s.run);
  const role = session?.user?.role ?? null;
  // A screen this role may not use is never shown, whatever asked for it: its home instead.
  const asked = useNav((s) => s.view);
  const view = mayShow(role, asked.name) ? asked : homeView(role);
  // No tags ignored: the search box has focus most of the time, and the shortcuts must work from it.
  useHotkeys(
    [
      ['mod+K', () => go({ name: 'search' })],
      ['alt+N', () => mayShow(role, 'register') && go({ name: 'register' })],
    ],
    [],
  );
  const shows = (name: Parameters<typeof mayShow>[1]): boolean => mayShow(role, name);
  const nav = (
    name: 'search' | 'register' | 'schedule' | 'flow-board' | 'population' | 'billing' | 'users' | 'audit' | 'doctor' | 'import' | 'referrals' | 'care',
  ): { active: boolean; onClick: () => void } => ({ active: view.name === name, onClick: () => go({ name }) });
  return (
    <AppShell header={{ height: 96 }} padding="md">
      <SkipLink />
      <AppShell.Header>
        {/* Two rows: who and where on top, the screens below, so the navigation never wraps over the page. */}
        <Group h={48} px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Title order={3}>Cairn</Title>
            <Text c="dimmed">{session?.clinicName}</Text>
            <SyncIndicator />
          </Group>
          <Group wrap="nowrap">
            <Text size="sm">{session?.user?.displayName}</Text>
            <Button variant="default" onClick={() => void run(() => api['session.logout']({}))}>
              Sign out
            </Button>
            <Button variant="default" color="gray" onClick={() => void run(() => api['session.lock']({}))}>
              Lock
            </Button>
          </Group>
        </Group>
        <Group component="nav" aria-label="Screens" h={44} px="md" gap={4} wrap="nowrap" style={{ overflowX: 'auto' }}>
          {shows('search') && (
            <NavButton {...nav('search')} data-testid="nav-search">
              Find patient
            </NavButton>
          )}
          {shows('register') && (
            <NavButton {...nav('register')} data-testid="nav-register">
              New patient
            </NavButton>
          )}
          {shows('schedule') && (
            <NavButton {...nav('schedule')} data-testid="nav-schedule">
              Schedule
            </NavButton>
          )}
          {shows('flow-board') && (
            <NavButton {...nav('flow-board')} data-testid="nav-flow-board">
              Flow board
            </NavButton>
          )}
          <PortalNavButton />
          <InboxNavButton />
          {shows('referrals') && (
            <NavButton {...nav('referrals')} data-testid="nav-referrals">
              Referrals
            </NavButton>
          )}
          {shows('care') && (
            <NavButton {...nav('care')} data-testid="nav-care">
              Care coordination
            </NavButton>
          )}
          {shows('population') && (
            <NavButton {...nav('population')} data-testid="nav-population">
              Population
            </NavButton>
          )}
          {shows('billing') && (
            <NavButton {...nav('billing')} data-testid="nav-billing">
              Billing
            </NavButton>
          )}
          <ConflictsNavButton />
          <ResultsNavButton />
          {shows('users') && (
            <NavButton {...nav('users')} data-testid="nav-users">
              Users
            </NavButton>
          )}
          {shows('audit') && (
            <NavButton {...nav('audit')} data-testid="nav-audit">
              Audit
            </NavButton>
          )}
          {shows('doctor') && (
            <NavButton {...nav('doctor')} data-testid="nav-doctor">
              Health
            </NavButton>
          )}
          {shows('import') && (
            <NavButton {...nav('import')} data-testid="nav-import">
              Import
            </NavButton>
          )}
        </Group>
      </AppShell.Header>
      <AppShell.Main id={MAIN_ID} tabIndex={-1}>
        {view.name === 'search' && <PatientSearch />}
        {view.name === 'register' && <RegisterPatient />}
        {view.name === 'schedule' && <ScheduleScreen />}
        {view.name === 'flow-board' && <FlowBoard />}
        {view.name === 'portal-inbox' && <PortalInbox />}
        {view.name === 'documents-inbox' && <InboxScreen />}
        {view.name === 'referrals' && <ReferralsScreen key={view.tab ?? 'overdue'} tab={view.tab} />}
        {view.name === 'care' && <CareScreen />}
        {view.name === 'chart' && <ChartPage key={view.patientId} patientId={view.patientId} tab={view.tab} />}
        {view.name === 'encounter' && <EncounterWorkspace key={view.encounterId} patientId={view.patientId} encounterId={view.encounterId} />}
        {view.name === 'users' && <UsersScreen />}
        {view.name === 'audit' && <AuditViewer />}
        {view.name === 'doctor' && <DoctorPage />}
        {view.name === 'import' && <ImportScreen />}
        {view.name === 'population' && <PopulationScreen tab={view.tab} />}
        {view.name === 'billing' && <BillingScreen key={view.tab ?? 'claims'} tab={view.tab} />}
        {view.name === 'conflicts' && (
          <Stack>
            {/* One patient's conflicts are a patient screen: their banner on top. */}
            {view.patientId && <PatientHeader key={view.patientId} patientId={view.patientId} />}
            <ConflictsScreen key={view.patientId ?? 'all'} patientId={view.patientId} />
          </Stack>
        )}
        {view.name === 'labs-inbox' && <LabsScreen key={view.tab ?? 'inbox'} tab={view.tab} />}
      </AppShell.Main>
    </AppShell>
  );
}

export function App(): ReactElement {
  return (
    <SessionGate>
      <Shell />
    </SessionGate>
  );
}
