import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Switch, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState, type ReactElement } from 'react';
import { patientInput, type Patient } from '../../../../shared/domain/patient';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { mayCall } from '../../../../shared/api/permissions';

const SEX_OPTIONS = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'other', label: 'Other' },
  { value: 'unknown', label: 'Unknown' },
];

function initialValues(p?: Patient): Record<string, unknown> {
  const a = p?.address;
  const i = p?.insurance;
  return {
    givenName: p?.givenName ?? '',
    middleName: p?.middleName ?? '',
    familyName: p?.familyName ?? '',
    preferredName: p?.preferredName ?? '',
    birthDate: p?.birthDate ?? '',
    sex: p?.sex ?? 'unknown',
    genderIdentity: p?.genderIdentity ?? '',
    phone: p?.phone ?? '',
    email: p?.email ?? '',
    mrn: p?.mrn ?? '',
    preferredLanguage: p?.preferredLanguage ?? '',
    address: { line1: a?.line1 ?? '', city: a?.city ?? '', state: a?.state ?? '', postalCode: a?.postalCode ?? '', country: a?.country ?? '' },
    insurance: { payer: i?.payer ?? '', memberId: i?.memberId ?? '', groupNumber: i?.groupNumber ?? '' },
  };
}

/**
 * New-patient registration, or the edit of an existing chart's demographics (`existing`),
 * validated by the same zod schema as the channel. An edit carries the version it started from,
 * so a change made elsewhere meanwhile is refused instead of overwritten.
 */
export function RegisterPatient({ existing, onSaved }: { existing?: Patient; onSaved?: (p: Patient) => void }): ReactElement {
  const go = useNav((s) => s.go);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm({ initialValues: initialValues(existing), validate: zodValidate(patientInput) });
  // Restricting a chart is its own audited channel, offered only to the roles that may use it.
  const mayRestrict = useSession((s) => mayCall(s.session?.user?.role ?? null, 'patients.setRestricted'));
  const [restricted, setRestricted] = useState(existing?.restricted ?? false);

  const submit = form.onSubmit(async (values) => {
    setSaving(true);
    let r = existing
      ? await api['patients.update']({ ...(values as Parameters<(typeof api)['patients.update']>[0]), id: existing.id, expectedVersion: existing.version })
      : await api['patients.create'](values as Parameters<(typeof api)['patients.create']>[0]);
    if (r.ok && existing && restricted !== existing.restricted) r = await api['patients.setRestricted']({ id: existing.id, restricted });
    setSaving(false);
    if (r.ok && onSaved) return onSaved(r.value);
    if (r.ok) go({ name: 'chart', patientId: r.value.id });
    else {
      setError(r.error.message);
      form.setErrors(issuesToErrors(r.error.issues));
    }
  });

  return (
    <Paper withBorder p="lg" component="form" onSubmit={submit} data-testid="register-form">
      <Stack>
        <Title order={2}>{existing ? 'Edit demographics' : 'Register a new patient'}</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Given name" required autoFocus {...form.getInputProps('givenName')} />
          <TextInput label="Middle name" {...form.getInputProps('middleName')} />
          <TextInput label="Family name" required {...form.getInputProps('familyName')} />
          <TextInput label="Preferred name" {...form.getInputProps('preferredName')} />
          <TextInput label="Birth date" placeholder="YYYY-MM-DD" required {...form.getInputProps('birthDate')} />
          <Select label="Administrative sex" data={SEX_OPTIONS} allowDeselect={false} {...form.getInputProps('sex')} />
          <TextInput label="Gender identity" {...form.getInputProps('genderIdentity')} />
          <TextInput label="Phone" {...form.getInputProps('phone')} />
          <TextInput label="Email" {...form.getInputProps('email')} />
          <TextInput label="Preferred language" {...form.getInputProps('preferredLanguage')} />
          <TextInput label="MRN" description="Leave empty to assign the next number" {...form.getInputProps('mrn')} />
        </SimpleGrid>
        <Title order={4}>Address</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Street" {...form.getInputProps('address.line1')} />
          <TextInput label="City" {...form.getInputProps('address.city')} />
          <TextInput label="State" {...form.getInputProps('address.state')} />
          <TextInput label="Postal code" {...form.getInputProps('address.postalCode')} />
          <TextInput label="Country" {...form.getInputProps('address.country')} />
        </SimpleGrid>
        <Title order={4}>Insurance</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Payer" {...form.getInputProps('insurance.payer')} />
          <TextInput label="Member ID" {...form.getInputProps('insurance.memberId')} />
          <TextInput label="Group number" {...form.getInputProps('insurance.groupNumber')} />
        </SimpleGrid>
        {existing && mayRestrict && (
          <Switch
            label="Restricted chart"
            description="Everyone, you included, must break the glass (a reason and their password, audited) to open it; search shows the name only."
            checked={restricted}
            onChange={(e) => setRestricted(e.currentTarget.checked)}
            data-testid="restricted-toggle"
          />
        )}
        {error && <Alert color="red" data-testid="register-error">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => (existing ? onSaved?.(existing) : go({ name: 'search' }))}>Cancel</Button>
          <Button type="submit" loading={saving}>{existing ? 'Save changes' : 'Register patient'}</Button>
        </Group>
      </Stack>
    </Paper>
  );
}
