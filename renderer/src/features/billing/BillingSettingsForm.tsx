import { Alert, Button, Group, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { billingSettings, type BillingSettings } from '../../../../shared/domain/billing/settings';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';
import { useSession } from '../../stores/session.store';

type Values = Omit<BillingSettings, 'taxonomy' | 'outboundFolder' | 'inboundFolder'> & { taxonomy: string; outboundFolder: string; inboundFolder: string };

const EMPTY: Values = {
  billingName: '',
  billingNpi: '',
  taxId: '',
  taxonomy: '',
  addressLine1: '',
  city: '',
  state: '',
  zip: '',
  phone: '',
  submitterId: '',
  submitterContact: '',
  receiverName: '',
  receiverId: '',
  usage: 'T',
  acceptAssignment: 'A',
  benefitsAssigned: 'Y',
  releaseOfInformation: 'Y',
  providerSignatureOnFile: true,
  outboundFolder: '',
  inboundFolder: '',
};

/** Empty optional fields are left out, as the schema expects. */
const toInput = (v: Values): Record<string, unknown> =>
  Object.fromEntries(Object.entries(v).filter(([k, x]) => !(['taxonomy', 'outboundFolder', 'inboundFolder'].includes(k) && x === '')));

const schemaErrors = zodValidate(billingSettings);

/** The billing provider printed on every claim, the clearinghouse, and the claim flags (CLM07–09) the practice chooses. */
export function BillingSettingsForm(): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const mayEdit = mayCall(role, 'billing.setSettings');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // The fields appear once the saved settings are in them: typed into earlier, they would be overwritten by the load.
  const [loaded, setLoaded] = useState(false);
  const form = useForm<Values>({ initialValues: EMPTY, validate: (v) => schemaErrors(toInput(v)) });
  useEffect(() => {
    void api['billing.settings']({}).then((r) => {
      setLoaded(true);
      if (!r.ok) return setError(r.error.message);
      if (r.value) form.setValues({ ...EMPTY, ...r.value });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loaded once when the tab opens
  }, []);
  if (!loaded) return <Text c="dimmed">Loading the billing settings…</Text>;
  const submit = form.onSubmit(async (v) => {
    setSaved(false);
    const r = await api['billing.setSettings'](toInput(v) as Parameters<(typeof api)['billing.setSettings']>[0]);
    if (!r.ok) {
      setError(r.error.message);
      return form.setErrors(issuesToErrors(r.error.issues));
    }
    setError(null);
    setSaved(true);
  });
  const field = (name: keyof Values, label: string, extra: { description?: string; placeholder?: string } = {}): ReactElement => (
    <TextInput label={label} {...extra} disabled={!mayEdit} {...form.getInputProps(name)} data-testid={`bs-${name}`} />
  );
  const flag = (
    name: 'usage' | 'acceptAssignment' | 'benefitsAssigned' | 'releaseOfInformation',
    label: string,
    data: { value: string; label: string }[],
  ): ReactElement => <Select label={label} data={data} allowDeselect={false} disabled={!mayEdit} {...form.getInputProps(name)} data-testid={`bs-${name}`} />;
  return (
    <form onSubmit={submit} data-testid="billing-settings">
      <Stack gap="xs">
        <Title order={3}>Billing provider</Title>
        {!mayEdit && <Text size="sm">Only an administrator changes these.</Text>}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {field('billingName', 'Billing provider name')}
          {field('billingNpi', 'Billing NPI')}
          {field('taxId', 'Tax id (EIN)')}
          {field('taxonomy', 'Taxonomy code', { placeholder: '207Q00000X' })}
          {field('addressLine1', 'Street address', { description: 'No P.O. box: payers refuse it' })}
          {field('city', 'City')}
          {field('state', 'State', { placeholder: 'MO' })}
          {field('zip', 'ZIP+4', { description: 'All 9 digits' })}
          {field('phone', 'Phone', { description: '10 digits' })}
        </SimpleGrid>
        <Title order={3}>Clearinghouse</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {field('submitterId', 'Submitter id')}
          {field('submitterContact', 'Submitter contact')}
          {field('receiverName', 'Clearinghouse name')}
          {field('receiverId', 'Clearinghouse id')}
          {field('outboundFolder', 'Outbound folder', { description: 'Batches and 270s are written here' })}
          {field('inboundFolder', 'Inbound folder', { description: 'Replies are read from here' })}
        </SimpleGrid>
        <Title order={3}>Claim flags</Title>
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          {flag('usage', 'Files are', [
            { value: 'T', label: 'Test (T)' },
            { value: 'P', label: 'Production (P)' },
          ])}
          {flag('acceptAssignment', 'Accept assignment (CLM07)', [
            { value: 'A', label: 'A: assigned' },
            { value: 'B', label: 'B: lab services only' },
            { value: 'C', label: 'C: not assigned' },
          ])}
          {flag('benefitsAssigned', 'Benefits assigned (CLM08)', [
            { value: 'Y', label: 'Y: yes' },
            { value: 'N', label: 'N: no' },
            { value: 'W', label: 'W: not applicable' },
          ])}
          {flag('releaseOfInformation', 'Release of information (CLM09)', [
            { value: 'Y', label: 'Y: signed release' },
            { value: 'I', label: 'I: informed consent' },
          ])}
        </SimpleGrid>
        <Switch label="Provider signature on file" disabled={!mayEdit} {...form.getInputProps('providerSignatureOnFile', { type: 'checkbox' })} />
        {error && <Alert color="red">{error}</Alert>}
        {saved && !error && (
          <Alert color="teal" data-testid="bs-saved">
            Billing settings saved: claims made from now on carry them.
          </Alert>
        )}
        {mayEdit && (
          <Group>
            <Button type="submit" data-testid="bs-save">
              Save billing settings
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
