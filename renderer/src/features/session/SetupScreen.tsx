import { Alert, Button, Paper, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ReactElement } from 'react';
import { contract } from '../../../../shared/api/contract';
import { PASSWORD_HINT } from '../../../../shared/domain/password-policy';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';
import { useSession } from '../../stores/session.store';
import { ScreenTitle } from '../../components';

/** First run on this device: create the encrypted database and the first administrator. */
export function SetupScreen(): ReactElement {
  const { run, busy, error } = useSession();
  const form = useForm({
    initialValues: { clinicName: '', passphrase: '', adminUsername: '', adminDisplayName: '', adminPassword: '' },
    validate: zodValidate(contract['session.setup'].input),
  });
  return (
    <Paper
      withBorder
      p="xl"
      maw={480}
      mx="auto"
      mt="xl"
      component="form"
      onSubmit={form.onSubmit(async (values) => {
        const e = await run(() => api['session.setup'](values));
        if (e?.issues) form.setErrors(issuesToErrors(e.issues));
      })}
    >
      <Stack>
        <ScreenTitle title="Set up Cairn on this device" />
        <Text size="sm" c="dimmed">
          Every chart is encrypted with the clinic passphrase. Keep it somewhere safe: without it the data cannot be recovered.
        </Text>
        <TextInput label="Clinic name" required {...form.getInputProps('clinicName')} />
        <PasswordInput label="Clinic passphrase" description="At least 12 characters" required {...form.getInputProps('passphrase')} />
        <TextInput label="Administrator user name" required {...form.getInputProps('adminUsername')} />
        <TextInput label="Administrator full name" required {...form.getInputProps('adminDisplayName')} />
        <PasswordInput label="Administrator password" description={PASSWORD_HINT} required {...form.getInputProps('adminPassword')} />
        {error && <Alert color="red">{error.message}</Alert>}
        <Button type="submit" loading={busy}>
          Create encrypted database
        </Button>
      </Stack>
    </Paper>
  );
}
