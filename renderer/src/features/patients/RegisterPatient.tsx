import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Switch, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState, type ReactElement } from 'react';
import { patientInput, type Patient, type SearchHit } from '../../../../shared/domain/patient';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { mayCall } from '../../../../shared/api/permissions';
import { DuplicateWarning } from './DuplicateWarning';
import { ScreenTitle } from '../../components';

const GUARANTOR_OPTIONS = [
  { value: 'self', label: 'Self (the patient)' },
  { value: 'parent', label: 'Parent' },
  { value: 'spouse', label: 'Spouse or partner' },
  { value: 'guardian', label: 'Legal guardian' },
  { value: 'other', label: 'Other person' },
];

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
    emergencyContact: { name: p?.emergencyContact.name ?? '', relationship: p?.emergencyContact.relationship ?? '', phone: p?.emergencyContact.phone ?? '' },
    guarantor: {
      relationship: p?.guarantor.relationship ?? null,
      name: p?.guarantor.name ?? '',
      phone: p?.guarantor.phone ?? '',
      address: p?.guarantor.address ?? '',
    },
    ...(p && { deceasedOn: p.deceasedOn ?? '' }),
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
  // Charts that look like this registration; changing a field clears the warning.
  const [duplicates, setDuplicates] = useState<SearchHit[] | null>(null);
  const form = useForm({ initialValues: initialValues(existing), validate: zodValidate(patientInput), onValuesChange: () => setDuplicates(null) });
  // Restricting a chart is its own audited channel, offered only to the roles that may use it.
  const mayRestrict = useSession((s) => mayCall(s.session?.user?.role ?? null, 'patients.setRestricted'));
  const [restricted, setRestricted] = useState(existing?.restricted ?? false);

  const save = async (values: Record<string, unknown>, confirmDuplicate = false): Promise<void> => {
    setSaving(true);
    let r = existing
      ? await api['patients.update']({ ...(values as Parameters<(typeof api)['patients.update']>[0]), id: existing.id, expectedVersion: existing.version })
      : await api['patients.create']({ ...(values as Parameters<(typeof api)['patients.create']>[0]), confirmDuplicate });
    if (!r.ok && r.error.code === 'possible_duplicate') {
      const v = values as Parameters<(typeof api)['patients.findDuplicates']>[0];
      const found = await api['patients.findDuplicates']({ givenName: v.givenName, familyName: v.familyName, birthDate: v.birthDate, sex: v.sex });
      setSaving(false);
      setError(null);
      return setDuplicates(found.ok ? found.value : []);
    }
    if (r.ok && existing && restricted !== existing.restricted) r = await api['patients.setRestricted']({ id: existing.id, restricted });
    setSaving(false);
    if (r.ok && onSaved) return onSaved(r.value);
    if (r.ok) go({ name: 'chart', patientId: r.value.id });
    else {
      setError(r.error.message);
      form.setErrors(issuesToErrors(r.error.issues));
    }
  };
  const submit = form.onSubmit((values) => save(values));
  // Another person paying needs their details; the patient paying needs none.
  const payer = (form.getValues() as { guarantor: { relationship: string | null } }).guarantor.relationship;

  return (
    <Paper withBorder p="lg" component="form" onSubmit={submit} data-testid="register-form">
      <Stack>
        {existing ? <Title order={2}>Edit demographics</Title> : <ScreenTitle title="Register a new patient" />}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Given name" required autoFocus {...form.getInputProps('givenName')} />
          <TextInput label="Middle name" {...form.getInputProps('middleName')} />
          <TextInput label="Family name" required {...form.getInputProps('familyName')} />
          <TextInput label="Preferred name" {...form.getInputProps('preferredName')} />
          <TextInput
            label="Birth date"
            placeholder="MM/DD/YYYY or YYYY-MM-DD"
            required
            {...form.getInputProps('birthDate')}
            data-testid="register-birth-date"
          />
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
        <Title order={4}>Emergency contact</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Contact name" {...form.getInputProps('emergencyContact.name')} data-testid="emergency-name" />
          <TextInput
            label="Relationship"
            placeholder="e.g. mother, spouse"
            {...form.getInputProps('emergencyContact.relationship')}
            data-testid="emergency-relationship"
          />
          <TextInput label="Contact phone" {...form.getInputProps('emergencyContact.phone')} data-testid="emergency-phone" />
        </SimpleGrid>
        <Title order={4}>Guarantor</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label="Who pays"
            placeholder="Not recorded"
            data={GUARANTOR_OPTIONS}
            clearable
            {...form.getInputProps('guarantor.relationship')}
            data-testid="guarantor-relationship"
          />
          {payer && payer !== 'self' && (
            <>
              <TextInput label="Guarantor name" {...form.getInputProps('guarantor.name')} data-testid="guarantor-name" />
              <TextInput label="Guarantor phone" {...form.getInputProps('guarantor.phone')} data-testid="guarantor-phone" />
              <TextInput label="Guarantor address" {...form.getInputProps('guarantor.address')} data-testid="guarantor-address" />
            </>
          )}
        </SimpleGrid>
        {existing && (
          <TextInput
            label="Date of death"
            description="Only when the patient has died: the chart then stays as it was, with no new visits or reminders"
            placeholder="MM/DD/YYYY or YYYY-MM-DD"
            maw={360}
            {...form.getInputProps('deceasedOn')}
            data-testid="deceased-on"
          />
        )}
        {existing && mayRestrict && (
          <Switch
            label="Restricted chart"
            description="Everyone, you included, must break the glass (a reason and their password, audited) to open it; search shows the name only."
            checked={restricted}
            onChange={(e) => setRestricted(e.currentTarget.checked)}
            data-testid="restricted-toggle"
          />
        )}
        {error && (
          <Alert color="red" data-testid="register-error">
            {error}
          </Alert>
        )}
        {duplicates && (
          <DuplicateWarning found={duplicates} busy={saving} onRegisterAnyway={() => void save(form.getValues(), true)} onDismiss={() => setDuplicates(null)} />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => (existing ? onSaved?.(existing) : go({ name: 'search' }))}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            {existing ? 'Save changes' : 'Register patient'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
