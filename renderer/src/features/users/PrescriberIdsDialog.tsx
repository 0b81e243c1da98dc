import { Alert, Button, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState, type ReactElement } from 'react';
import { contract } from '../../../../shared/api/contract';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';

export interface PrescriberTarget {
  username: string;
  npi: string | null;
  dea: string | null;
}

/** Records a physician's NPI and DEA number (check digits verified here and by the backend); empty clears one. */
export function PrescriberIdsDialog({
  target,
  onClose,
  onDone,
}: {
  target: PrescriberTarget | null;
  onClose: () => void;
  onDone: (message: string) => void;
}): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const validate = zodValidate(contract['users.update'].input);
  const form = useForm({ initialValues: { npi: '', dea: '' }, validate: (v) => validate({ ...v, username: target?.username }) });
  useEffect(() => {
    if (target) form.setValues({ npi: target.npi ?? '', dea: target.dea ?? '' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filled from the row each time the dialog opens
  }, [target]);
  const close = (): void => {
    form.reset();
    setError(null);
    onClose();
  };
  return (
    <Modal opened={target !== null} onClose={close} title={`NPI and DEA number of ${target?.username ?? ''}`}>
      <form
        onSubmit={form.onSubmit(async (v) => {
          if (!target) return;
          const r = await api['users.update']({ username: target.username, npi: v.npi, dea: v.dea });
          if (!r.ok) {
            setError(r.error.message);
            form.setErrors(issuesToErrors(r.error.issues));
            return;
          }
          close();
          onDone(`${target.username}: NPI ${r.value.npi ?? 'not recorded'}, DEA ${r.value.dea ?? 'not recorded'}.`);
        })}
      >
        <Stack>
          <Text size="sm">Printed on this physician&apos;s prescriptions; the DEA number only on controlled substances. Leave a field empty to clear it.</Text>
          <TextInput label="NPI" description="10 digits (NPPES registry)" data-autofocus data-testid="npi-input" {...form.getInputProps('npi')} />
          <TextInput label="DEA number" description="2 letters and 7 digits" data-testid="dea-input" {...form.getInputProps('dea')} />
          {error && <Alert color="red">{error}</Alert>}
          <Button type="submit" data-testid="prescriber-ids-submit">
            Save
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
