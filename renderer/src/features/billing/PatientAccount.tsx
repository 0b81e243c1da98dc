import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { Account } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';
import { downloadPdf } from '../../lib/download';
import { useSession } from '../../stores/session.store';
import { LedgerTable } from './LedgerTable';
import { PaymentForm } from './PaymentForm';

function Balance({ label, cents, testId }: { label: string; cents: number; testId: string }): ReactElement {
  return (
    <Paper withBorder p="sm">
      <Text size="sm">{label}</Text>
      <Text fw={700} size="xl" ff="monospace" data-testid={testId}>
        {formatCents(cents)}
      </Text>
    </Paper>
  );
}

/** A patient's account: what the patient and insurance owe (derived from the ledger), the ledger, payments, reversals and the statement. */
export function PatientAccount({ patientId }: { patientId: string }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => void api['billing.account']({ patientId }).then((r) => (r.ok ? setAccount(r.value) : setError(r.error.message))), [patientId]);
  useEffect(load, [load]);

  const reverse = async (entryId: string, reason: string): Promise<void> => {
    const r = await api['billing.reverse']({ patientId, entryId, reason });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setAccount(r.value);
  };
  const statement = async (): Promise<void> => {
    const r = await api['billing.statement']({ patientId });
    if (r.ok) downloadPdf(r.value.fileName, r.value.base64);
    else setError(r.error.message);
  };

  return (
    <Stack gap="sm" data-testid="patient-account">
      <Group justify="space-between">
        <Title order={4}>Account</Title>
        <Button size="xs" variant="default" onClick={() => void statement()} data-testid="account-statement">
          Statement (PDF)
        </Button>
      </Group>
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {!account ? (
        !error && <Loader size="sm" />
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Balance label="Patient owes" cents={account.patientBalanceCents} testId="balance-patient" />
            <Balance label="Insurance owes" cents={account.insuranceBalanceCents} testId="balance-insurance" />
            <Balance label="Total" cents={account.patientBalanceCents + account.insuranceBalanceCents} testId="balance-total" />
          </SimpleGrid>
          {mayCall(role, 'billing.pay') && (
            <>
              <Title order={5}>Take a payment</Title>
              <PaymentForm patientId={patientId} onPaid={load} />
            </>
          )}
          <Title order={5}>Ledger</Title>
          <LedgerTable entries={account.entries} onReverse={mayCall(role, 'billing.reverse') ? (id, why) => void reverse(id, why) : undefined} />
        </>
      )}
    </Stack>
  );
}
