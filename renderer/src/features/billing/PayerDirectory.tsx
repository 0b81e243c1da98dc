import { Alert, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { FILING_INDICATORS, payerInput } from '../../../../shared/domain/billing/model';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';
import { useSession } from '../../stores/session.store';
import { useBilling } from './billing.store';

const FILING_NAMES: Partial<Record<(typeof FILING_INDICATORS)[number], string>> = {
  MB: 'Medicare Part B',
  MC: 'Medicaid',
  CI: 'Commercial',
  BL: 'Blue Cross Blue Shield',
  HM: 'HMO',
  '12': 'PPO',
  CH: 'Tricare',
  VA: 'Veterans Affairs',
  WC: "Workers' compensation",
};
const FILING = FILING_INDICATORS.map((f) => ({ value: f, label: FILING_NAMES[f] ? `${f} ${FILING_NAMES[f]}` : f }));

type Values = { name: string; payerId: string; filingIndicator: string | null } & Record<'addressLine1' | 'city' | 'state' | 'zip' | 'phone', string>;
const toInput = (v: Values): Record<string, unknown> => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '' && x !== null));
const schemaErrors = zodValidate(payerInput);

/** Adds a payer to the directory (name, the id the clearinghouse lists, the claim filing indicator). */
function AddPayer({ onAdded }: { onAdded: () => void }): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { name: '', payerId: '', filingIndicator: 'CI', addressLine1: '', city: '', state: '', zip: '', phone: '' },
    validate: (v) => schemaErrors(toInput(v)),
  });
  const submit = form.onSubmit(async (v) => {
    const r = await api['billing.addPayer'](toInput(v) as Parameters<(typeof api)['billing.addPayer']>[0]);
    if (!r.ok) {
      setError(r.error.message);
      return form.setErrors(issuesToErrors(r.error.issues));
    }
    setError(null);
    form.reset();
    onAdded();
  });
  return (
    <form onSubmit={submit} data-testid="payer-form">
      <Stack gap="xs">
        <Title order={4}>Add a payer</Title>
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <TextInput label="Payer name" required {...form.getInputProps('name')} data-testid="payer-name" />
          <TextInput label="Payer id" required description="As the clearinghouse lists it" {...form.getInputProps('payerId')} data-testid="payer-id" />
          <Select
            label="Claim filing indicator"
            data={FILING}
            searchable
            allowDeselect={false}
            {...form.getInputProps('filingIndicator')}
            data-testid="payer-filing"
          />
          <TextInput label="Phone" {...form.getInputProps('phone')} />
          <TextInput label="Street address" {...form.getInputProps('addressLine1')} />
          <TextInput label="City" {...form.getInputProps('city')} />
          <TextInput label="State" {...form.getInputProps('state')} />
          <TextInput label="ZIP" {...form.getInputProps('zip')} />
        </SimpleGrid>
        {error && <Alert color="red">{error}</Alert>}
        <Group>
          <Button type="submit" variant="light" data-testid="payer-add">
            Add payer
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The payer directory every coverage points at. */
export function PayerDirectory(): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const { payers, loadPayers } = useBilling();
  useEffect(() => void loadPayers(true), [loadPayers]);
  return (
    <Stack gap="xs" data-testid="payer-directory">
      <Title order={3}>Payers</Title>
      {payers?.length === 0 && <Text size="sm">No payers yet.</Text>}
      {payers && payers.length > 0 && (
        <Table data-testid="payer-list" aria-label="Payers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Payer id</Table.Th>
              <Table.Th>Filing</Table.Th>
              <Table.Th>Address</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {payers.map((p) => (
              <Table.Tr key={p.id} data-testid="payer-row">
                <Table.Td>{p.name}</Table.Td>
                <Table.Td ff="monospace">{p.payerId}</Table.Td>
                <Table.Td>{p.filingIndicator}</Table.Td>
                <Table.Td>{[p.addressLine1, p.city, p.state, p.zip].filter(Boolean).join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {mayCall(role, 'billing.addPayer') && <AddPayer onAdded={() => void loadPayers(true)} />}
    </Stack>
  );
}
