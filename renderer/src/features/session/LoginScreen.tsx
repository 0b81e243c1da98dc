import { Alert, Button, Paper, PasswordInput, Stack, TextInput, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { api } from '../../lib/api';
import { useSession } from '../../stores/session.store';
import { ScreenTitle } from '../../components';

/** Database unlocked; each person signs in as themselves so every access is attributed. */
export function LoginScreen(): ReactElement {
  const { run, busy, error, session } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  return (
    <Paper
      withBorder
      p="xl"
      maw={420}
      mx="auto"
      mt="xl"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => api['session.login']({ username, password }));
      }}
    >
      <Stack>
        <ScreenTitle title="Sign in" />
        {session?.clinicName && <Text c="dimmed">{session.clinicName}</Text>}
        {session?.autoLocked && (
          <Alert color="yellow" data-testid="auto-locked">
            Signed out after {session.autoLockMinutes} minutes without activity.
          </Alert>
        )}
        <TextInput label="User name" autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
        <PasswordInput label="Password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        {error && <Alert color="red">{error.message}</Alert>}
        <Button type="submit" loading={busy} disabled={!username || !password}>
          Sign in
        </Button>
        <Button variant="subtle" color="gray" onClick={() => void run(() => api['session.lock']({}))}>
          Lock database
        </Button>
      </Stack>
    </Paper>
  );
}
