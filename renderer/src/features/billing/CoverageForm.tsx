import { Alert, Button, FileInput, Group, Paper, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useForm, type GetInputProps } from '@mantine/form';
import { useEffect, useState, type ReactElement } from 'react';
import type { Coverage } from '../../../../shared/domain/billing/model';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { useBilling } from './billing.store';
import { emptyCoverage, toCoverageInput, validateCoverage, type CoverageValues } from './coverage-form';
import { RANK_LABELS, readFile, RELATIONSHIP_LABELS } from './labels';

const options = <K extends string>(labels: Record<K, string>): { value: K; label: string }[] =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));

/** The subscriber's own details, needed when the patient is not the policy holder. */
function SubscriberFields({ form }: { form: { getInputProps: GetInputProps<CoverageValues> } }): ReactElement {
  return (
    <SimpleGrid cols={{ base: 1, sm: 4 }}>
      <TextInput label="Subscriber last name" required {...form.getInputProps('subscriber.lastName')} data-testid="coverage-sub-last" />
      <TextInput label="Subscriber first name" required {...form.getInputProps('subscriber.firstName')} data-testid="coverage-sub-first" />
      <TextInput
        label="Subscriber birth date"
        placeholder="YYYY-MM-DD"
        required
        {...form.getInputProps('subscriber.birthDate')}
        data-testid="coverage-sub-birth"
      />
      <Select
        label="Subscriber sex"
        data={[
          { value: 'F', label: 'Female' },
          { value: 'M', label: 'Male' },
          { value: 'U', label: 'Unknown' },
        ]}
        allowDeselect={false}
        {...form.getInputProps('subscriber.sex')}
      />
    </SimpleGrid>
  );
}

/** A new coverage from the insurance card, validated by the channel's own schema; the backend's field errors land on their fields. */
export function CoverageForm({
  patientId,
  rank,
  onSaved,
  onCancel,
}: {
  patientId: string;
  rank: CoverageValues['rank'];
  onSaved: (c: Coverage) => void;
  onCancel: () => void;
}): ReactElement {
  const { payers, loadPayers } = useBilling();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<CoverageValues>({ initialValues: emptyCoverage(rank), validate: validateCoverage(patientId) });
  useEffect(() => void loadPayers(), [loadPayers]);
  const card = (side: 'cardFront' | 'cardBack') => async (f: File | null) => form.setFieldValue(side, f ? await readFile(f, 'dataUrl') : '');
  const submit = form.onSubmit(async (v) => {
    const r = await api['billing.addCoverage'](toCoverageInput(patientId, v));
    if (r.ok) return onSaved(r.value);
    setError(r.error.message);
    form.setErrors(issuesToErrors(r.error.issues));
  });
  const notSelf = form.getValues().relationship !== 'self';
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} data-testid="coverage-form" aria-labelledby="coverage-form-title">
      <Stack gap="xs">
        <Title order={4} id="coverage-form-title">
          Add coverage
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label="Payer"
            required
            searchable
            placeholder={payers?.length === 0 ? 'No payers yet: a biller or administrator adds them' : 'Choose the payer'}
            data={(payers ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.payerId})` }))}
            {...form.getInputProps('payerRef')}
            data-testid="coverage-payer"
          />
          <Select label="Order" data={options(RANK_LABELS)} allowDeselect={false} {...form.getInputProps('rank')} data-testid="coverage-rank" />
          <TextInput label="Member ID" required {...form.getInputProps('memberId')} data-testid="coverage-member" />
          <TextInput label="Group number" {...form.getInputProps('groupNumber')} data-testid="coverage-group" />
          <TextInput label="Plan name" {...form.getInputProps('planName')} data-testid="coverage-plan" />
          <Select
            label="Patient's relationship to the subscriber"
            data={options(RELATIONSHIP_LABELS)}
            allowDeselect={false}
            {...form.getInputProps('relationship')}
            data-testid="coverage-relationship"
          />
        </SimpleGrid>
        {notSelf && <SubscriberFields form={form} />}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Effective from" placeholder="YYYY-MM-DD" {...form.getInputProps('effectiveFrom')} data-testid="coverage-from" />
          <TextInput label="Effective to" placeholder="YYYY-MM-DD" {...form.getInputProps('effectiveTo')} data-testid="coverage-to" />
          <TextInput label="Copay" placeholder="$25.00" {...form.getInputProps('copayCents')} data-testid="coverage-copay" />
          <FileInput
            label="Card front"
            accept="image/*"
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the card front' }}
            onChange={(f) => void card('cardFront')(f)}
            data-testid="coverage-card-front"
          />
          <FileInput
            label="Card back"
            accept="image/*"
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the card back' }}
            onChange={(f) => void card('cardBack')(f)}
            data-testid="coverage-card-back"
          />
        </SimpleGrid>
        {(form.errors['cardFront'] ?? form.errors['cardBack']) && <Alert color="red">{form.errors['cardFront'] ?? form.errors['cardBack']}</Alert>}
        {error && (
          <Alert color="red" data-testid="coverage-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" data-testid="coverage-save">
            Save coverage
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
