import { Alert, Button, Paper, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { api } from '../../lib/api';
import { useSession } from '../../stores/session.store';
import { ScreenTitle } from '../../components';

/** The database is locked: the clinic passphrase derives the key (this takes about half a second, on purpose). */
export function UnlockScreen(): ReactElement {
  const { run, busy, error } = useSession();
  const [passphrase, setPassphrase] = useState('');
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
        void run(() => api['session.unlock']({ passphrase }));
      }}
    >
      <Stack>
        <ScreenTitle title="Unlock Cairn" />
        <Text size="sm" c="dimmed">
          The charts on this device are encrypted. Enter the clinic passphrase.
        </Text>
        <PasswordInput label="Clinic passphrase" autoFocus value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} data-testid="passphrase" />
        {error && (
          <Alert color="red" data-testid="unlock-error">
            {error.message}
          </Alert>
        )}
        <Button type="submit" loading={busy} disabled={passphrase === ''}>
          Unlock
        </Button>
      </Stack>
    </Paper>
  );
}
