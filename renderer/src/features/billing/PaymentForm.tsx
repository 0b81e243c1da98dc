import { Alert, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { paymentInput } from '../../../../shared/domain/billing/model';
import { formatCents, parseDollars } from '../../../../shared/domain/money';
import { downloadPdf } from '../../lib/download';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';
import { api } from '../../lib/api';
import { balanceWords } from './labels';

type Paid = Out<'billing.pay'>;
interface Values {
  amountCents: string;
  method: 'cash' | 'check' | 'card' | 'other';
  reference: string;
  memo: string;
}

const METHODS = [
  { value: 'card', label: 'Card' },
  { value: 'cash', label: 'Cash' },
  { value: 'check', label: 'Check' },
  { value: 'other', label: 'Other' },
];

const schemaErrors = zodValidate(paymentInput);

/** A payment from the patient (a copay at check-in, or toward the balance) with its receipt to print. */
export function PaymentForm({
  patientId,
  defaultCents,
  memo,
  onPaid,
}: {
  patientId: string;
  defaultCents?: number | null;
  memo?: string;
  onPaid?: (p: Paid) => void;
}): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const [paid, setPaid] = useState<Paid | null>(null);
  const toInput = (v: Values): Parameters<(typeof api)['billing.pay']>[0] => ({
    patientId,
    amountCents: parseDollars(v.amountCents) ?? Number.NaN,
    method: v.method,
    ...(v.reference.trim() && { reference: v.reference.trim() }),
    ...(v.memo.trim() && { memo: v.memo.trim() }),
  });
  const form = useForm<Values>({
    initialValues: { amountCents: defaultCents ? formatCents(defaultCents).slice(1) : '', method: 'card', reference: '', memo: memo ?? '' },
    validate: (v) => {
      const errors = schemaErrors(toInput(v));
      if (parseDollars(v.amountCents) === null) errors['amountCents'] = 'enter the amount received, like 25.00';
      return errors;
    },
  });
  const submit = form.onSubmit(async (v) => {
    const r = await api['billing.pay'](toInput(v));
    if (!r.ok) {
      setError(r.error.message);
      return form.setErrors(issuesToErrors(r.error.issues));
    }
    setError(null);
    setPaid(r.value);
    form.reset();
    onPaid?.(r.value);
  });
  return (
    <form onSubmit={submit} data-testid="payment-form">
      <Stack gap="xs">
        <Group align="flex-start" grow>
          <TextInput label="Amount received" placeholder="25.00" leftSection="$" {...form.getInputProps('amountCents')} data-testid="payment-amount" />
          <Select label="Method" data={METHODS} allowDeselect={false} {...form.getInputProps('method')} data-testid="payment-method" />
          <TextInput label="Reference" description="Check number or card slip" {...form.getInputProps('reference')} data-testid="payment-reference" />
          <TextInput label="Memo" {...form.getInputProps('memo')} />
        </Group>
        <Group>
          <Button type="submit" variant="light" data-testid="payment-submit">
            Take payment
          </Button>
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {paid && (
          <Alert color="teal" variant="light" data-testid="payment-receipt">
            <Group justify="space-between">
              <span>
                Receipt {paid.receiptNumber}. {balanceWords(paid.patientBalanceCents)}
              </span>
              <Button
                size="xs"
                variant="default"
                onClick={() => downloadPdf(paid.receipt.fileName, paid.receipt.base64)}
                data-testid="payment-receipt-download"
              >
                Download receipt
              </Button>
            </Group>
          </Alert>
        )}
      </Stack>
    </form>
  );
}
