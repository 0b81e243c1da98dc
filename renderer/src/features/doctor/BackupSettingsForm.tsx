import { Alert, Button, Group, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState, type ReactElement } from 'react';
import { contract } from '../../../../shared/api/contract';
import { DEFAULT_BACKUP_SETTINGS } from '../../../../shared/domain/doctor';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';

interface Values {
  folder: string;
  keep: number | string;
  keepWeekly: number | string;
  warnAfterHours: number | string;
}

/** The form's values as the channel takes them: an empty folder is the default `backups/` beside the database. */
const toInput = (v: Values): unknown => ({
  folder: v.folder.trim() === '' ? null : v.folder.trim(),
  keep: v.keep === '' ? NaN : Number(v.keep),
  keepWeekly: v.keepWeekly === '' ? NaN : Number(v.keepWeekly),
  warnAfterHours: v.warnAfterHours === '' ? NaN : Number(v.warnAfterHours),
});

/** Where this device's daily backups go, how many are kept, and when the health checks warn that the newest is too old. */
export function BackupSettingsForm({ onSaved }: { onSaved: () => void }): ReactElement {
  const [dir, setDir] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const validate = zodValidate(contract['settings.setBackups'].input);
  const form = useForm<Values>({
    initialValues: {
      folder: '',
      keep: DEFAULT_BACKUP_SETTINGS.keep,
      keepWeekly: DEFAULT_BACKUP_SETTINGS.keepWeekly,
      warnAfterHours: DEFAULT_BACKUP_SETTINGS.warnAfterHours,
    },
    validate: (v) => validate(toInput(v)),
  });
  // The fields appear once the saved settings are in them: typed into earlier, they would be overwritten by the load.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    void api['settings.backups']({}).then((r) => {
      setLoaded(true);
      if (!r.ok) return setError(r.error.message);
      form.setValues({ folder: r.value.folder ?? '', keep: r.value.keep, keepWeekly: r.value.keepWeekly, warnAfterHours: r.value.warnAfterHours });
      form.resetDirty();
      setDir(r.value.dir);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loaded once when the screen opens
  }, []);
  if (!loaded) return <Text c="dimmed">Loading the backup settings…</Text>;
  return (
    <form
      data-testid="backup-settings"
      onSubmit={form.onSubmit(async (v) => {
        setSaved(false);
        const r = await api['settings.setBackups'](toInput(v) as Parameters<(typeof api)['settings.setBackups']>[0]);
        if (!r.ok) {
          setError(r.error.message);
          form.setErrors(issuesToErrors(r.error.issues));
          return;
        }
        setError(null);
        setDir(r.value.dir);
        form.resetDirty();
        setSaved(true);
        onSaved();
      })}
    >
      <Stack gap="sm" maw={640}>
        <Title order={2} size="h4">
          Backups of this device
        </Title>
        <Text size="sm">
          Cairn takes an encrypted backup every day while it is unlocked, reads it back to check it, and keeps the most recent ones (and one a week, if you ask
          for it). An external drive or network folder must already exist; each device writes into a folder of its own there.
        </Text>
        <TextInput
          label="Backup folder"
          description="A full path, e.g. /mnt/clinic-nas/cairn or \\nas\cairn. Empty: backups/ beside the database (same disk)."
          data-testid="backup-folder"
          {...form.getInputProps('folder')}
        />
        <Group grow align="flex-start">
          <NumberInput
            label="Keep the most recent"
            description="backups"
            min={1}
            max={365}
            allowDecimal={false}
            data-testid="backup-keep"
            {...form.getInputProps('keep')}
          />
          <NumberInput
            label="And one a week for"
            description="weeks (0: none)"
            min={0}
            max={520}
            allowDecimal={false}
            data-testid="backup-keep-weekly"
            {...form.getInputProps('keepWeekly')}
          />
          <NumberInput
            label="Warn when the newest is older than"
            description="hours"
            min={1}
            max={2160}
            allowDecimal={false}
            data-testid="backup-warn-hours"
            {...form.getInputProps('warnAfterHours')}
          />
        </Group>
        {dir && (
          <Text size="sm" data-testid="backup-dir" style={{ overflowWrap: 'anywhere' }}>
            Backups go to {dir}
          </Text>
        )}
        {error && (
          <Alert color="red" data-testid="backup-settings-error">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" variant="light" data-testid="backup-settings-save">
            Save backup settings
          </Button>
          {saved && !form.isDirty() && (
            <Text size="sm" role="status" data-testid="backup-settings-saved">
              Saved. The next daily backup follows these settings.
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
