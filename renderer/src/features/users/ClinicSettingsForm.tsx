import { Alert, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState, type ReactElement } from 'react';
import { contract } from '../../../../shared/api/contract';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';
import { useSession } from '../../stores/session.store';

const LINES = 3;

/** The clinic's name, address and phone as printed on prescriptions: an administrator records them here. */
export function ClinicSettingsForm(): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // The fields appear once the saved details are in them: typed into earlier, they would be overwritten by the load.
  const [loaded, setLoaded] = useState(false);
  const refresh = useSession((s) => s.refresh);
  const validate = zodValidate(contract['settings.setClinic'].input);
  const form = useForm({
    initialValues: { name: '', addressLines: Array.from({ length: LINES }, () => ''), phone: '' },
    validate: (v) => {
      const errors = validate(v);
      // The "give an address" rule is on the whole list: shown under the first line.
      if (errors['addressLines']) errors['addressLines.0'] ??= errors['addressLines'];
      return errors;
    },
  });
  useEffect(() => {
    void api['settings.clinic']({}).then((r) => {
      setLoaded(true);
      if (!r.ok) return setError(r.error.message);
      const lines = [...r.value.addressLines, ...Array.from({ length: LINES }, () => '')].slice(0, LINES);
      form.setValues({ name: r.value.name, addressLines: lines, phone: r.value.phone ?? '' });
      form.resetDirty();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loaded once when the screen opens
  }, []);
  return (
    <form
      data-testid="clinic-settings"
      onSubmit={form.onSubmit(async (v) => {
        setSaved(false);
        const r = await api['settings.setClinic']({ name: v.name, addressLines: v.addressLines, phone: v.phone });
        if (!r.ok) {
          setError(r.error.message);
          form.setErrors(issuesToErrors(r.error.issues));
          return;
        }
        setError(null);
        setSaved(true);
        // The header shows the clinic's name.
        void refresh();
      })}
    >
      <Stack gap="xs">
        <Title order={2} size="h3" mt="lg">
          Clinic name and address
        </Title>
        <Text size="sm">Printed at the top of every prescription. Kept on this device: set it on each device that prints.</Text>
        {loaded ? (
          <>
            <TextInput label="Clinic name" maw={480} data-testid="clinic-name" {...form.getInputProps('name')} />
            {Array.from({ length: LINES }, (_, i) => (
              <TextInput
                key={i}
                label={i === 0 ? 'Address' : `Address line ${i + 1}`}
                description={i === 0 ? 'Street, then city, state and ZIP on the next line' : undefined}
                maw={480}
                data-testid={`clinic-address-${i + 1}`}
                {...form.getInputProps(`addressLines.${i}`)}
              />
            ))}
            <TextInput label="Phone" maw={240} data-testid="clinic-phone" {...form.getInputProps('phone')} />
            <Group>
              <Button type="submit" variant="light" data-testid="clinic-save">
                Save clinic address
              </Button>
            </Group>
          </>
        ) : (
          <Text c="dimmed">Loading the clinic's name and address…</Text>
        )}
        {error && <Alert color="red">{error}</Alert>}
        {saved && !error && (
          <Alert color="teal" data-testid="clinic-saved">
            Clinic address saved: prescriptions print it from now on.
          </Alert>
        )}
      </Stack>
    </form>
  );
}
