import { AppShell, Button, Group, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import type { ReactElement } from 'react';
import { AuditViewer } from './features/audit';
import { EncounterWorkspace } from './features/encounters';
import { ChartPage, PatientSearch, RegisterPatient } from './features/patients';
import { UsersScreen } from './features/users';
import { SessionGate } from './features/session';
import { ConflictsNavButton, ConflictsScreen, SyncIndicator } from './features/sync';
import { LabsScreen, ResultsNavButton } from './features/labs';
import { api } from './lib/api';
import { useNav } from './stores/nav.store';
import { useSession } from './stores/session.store';

function Shell(): ReactElement {
  const view = useNav((s) => s.view);
  const go = useNav((s) => s.go);
  const session = useSession((s) => s.session);
  const run = useSession((s) => s.run);
  useHotkeys([
    ['mod+K', () => go({ name: 'search' })],
    ['alt+N', () => go({ name: 'register' })],
  ]);
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Title order={3}>Cairn</Title>
            <Text c="dimmed">{session?.clinicName}</Text>
            <SyncIndicator />
          </Group>
          <Group>
            <Button variant="subtle" onClick={() => go({ name: 'search' })}>Find patient</Button>
            <Button variant="light" onClick={() => go({ name: 'register' })}>New patient</Button>
            <ConflictsNavButton />
            <ResultsNavButton />
            {session?.user?.role === 'admin' && <Button variant="subtle" onClick={() => go({ name: 'users' })}>Users</Button>}
            {session?.user?.role === 'admin' && <Button variant="subtle" onClick={() => go({ name: 'audit' })} data-testid="nav-audit">Audit</Button>}
            <Text size="sm">{session?.user?.displayName}</Text>
            <Button variant="default" onClick={() => void run(() => api['session.logout']({}))}>Sign out</Button>
            <Button variant="default" color="gray" onClick={() => void run(() => api['session.lock']({}))}>Lock</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {view.name === 'search' && <PatientSearch />}
        {view.name === 'register' && <RegisterPatient />}
        {view.name === 'chart' && <ChartPage key={view.patientId} patientId={view.patientId} tab={view.tab} />}
        {view.name === 'encounter' && <EncounterWorkspace key={view.encounterId} patientId={view.patientId} encounterId={view.encounterId} />}
        {view.name === 'users' && <UsersScreen />}
        {view.name === 'audit' && <AuditViewer />}
        {view.name === 'conflicts' && <ConflictsScreen key={view.patientId ?? 'all'} patientId={view.patientId} />}
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
