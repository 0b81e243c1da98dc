import { Alert, Button, Group, Paper, PasswordInput, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState, type ReactElement } from 'react';
import { contract } from '../../../../shared/api/contract';
import { BREAK_GLASS_MINUTES } from '../../../../shared/domain/patient';
import { ScreenTitle } from '../../components';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';

/**
 * Shown in place of a restricted chart: the person says why they need it and gives their password
 * again. The backend records both (the reason in the audit log) before it opens the chart.
 */
export function BreakGlassDialog({
  patientId,
  onOpened,
  onCancel,
}: {
  patientId: string;
  onOpened: (until: string) => void;
  onCancel: () => void;
}): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const validate = zodValidate(contract['patients.breakGlass'].input);
  const form = useForm({ initialValues: { reason: '', password: '' }, validate: (v) => validate({ ...v, patientId }) });

  const submit = form.onSubmit(async (v) => {
    setBusy(true);
    const r = await api['patients.breakGlass']({ patientId, ...v });
    setBusy(false);
    if (r.ok) return onOpened(r.value.until);
    setError(r.error.message);
    form.setErrors(issuesToErrors(r.error.issues));
    form.setFieldValue('password', '');
  });

  return (
    <Paper
      withBorder
      p="lg"
      maw={560}
      mx="auto"
      mt="xl"
      component="form"
      onSubmit={submit}
      role="dialog"
      aria-labelledby="break-glass-title"
      data-testid="break-glass-dialog"
    >
      <Stack>
        <ScreenTitle title="Restricted chart" id="break-glass-title" />
        <Text>
          This chart is restricted. To open it, say why you need it and enter your password again. Your name, the time and your reason go into the audit log;
          access lasts until you sign out, at most {BREAK_GLASS_MINUTES} minutes.
        </Text>
        <Textarea
          label="Reason"
          placeholder="e.g. patient in clinic now, acute chest pain"
          autosize
          minRows={2}
          autoFocus
          data-testid="break-glass-reason"
          {...form.getInputProps('reason')}
        />
        <PasswordInput label="Your password" autoComplete="current-password" data-testid="break-glass-password" {...form.getInputProps('password')} />
        {error && (
          <Alert color="red" data-testid="break-glass-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={busy} data-testid="break-glass-submit">
            Break the glass and open
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
