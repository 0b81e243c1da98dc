import { Alert, Button, Group, Modal, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { ReferralContact } from '../../../../shared/domain/referrals';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';

const OPTIONAL = ['organization', 'npi', 'phone', 'fax', 'email', 'directAddress', 'address', 'note'] as const;
type Fields = Record<'name' | 'specialty' | (typeof OPTIONAL)[number], string>;

const fromContact = (c: ReferralContact | null): Fields => ({
  name: c?.name ?? '',
  specialty: c?.specialty ?? '',
  organization: c?.organization ?? '',
  npi: c?.npi ?? '',
  phone: c?.phone ?? '',
  fax: c?.fax ?? '',
  email: c?.email ?? '',
  directAddress: c?.directAddress ?? '',
  address: c?.address ?? '',
  note: c?.note ?? '',
});

/** Adds a specialist or facility to the address book, or corrects one (an emptied field is cleared). */
export function ContactDialog({
  contact,
  onClose,
  onSaved,
}: {
  contact: ReferralContact | null;
  onClose: () => void;
  onSaved: (c: ReferralContact) => void;
}): ReactElement {
  const [f, setF] = useState<Fields>(fromContact(contact));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (k: keyof Fields, label: string, extra: { required?: boolean; description?: string } = {}): ReactElement => (
    <TextInput label={label} value={f[k]} onChange={(e) => setF({ ...f, [k]: e.currentTarget.value })} error={errors[k]} {...extra} />
  );
  const save = async (): Promise<void> => {
    setBusy(true);
    const optional = Object.fromEntries(OPTIONAL.map((k) => [k, f[k].trim() === '' ? null : f[k]]));
    const r = contact
      ? await api['referrals.contacts.update']({ id: contact.id, expectedVersion: contact.version, name: f.name, specialty: f.specialty, ...optional })
      : await api['referrals.contacts.add']({
          name: f.name,
          specialty: f.specialty,
          ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
        });
    setBusy(false);
    if (!r.ok) {
      setErrors(issuesToErrors(r.error.issues));
      return setProblem(r.error.message);
    }
    onSaved(r.value);
  };
  return (
    <Modal opened onClose={onClose} title={contact ? `Edit ${contact.name}` : 'Add to the address book'} size="lg">
      <Stack data-testid="contact-dialog">
        <SimpleGrid cols={2}>
          {field('name', 'Name', { required: true, description: 'A person or a department' })}
          {field('organization', 'Organization')}
          {field('specialty', 'Specialty', { required: true })}
          {field('npi', 'NPI', { description: '10 digits' })}
          {field('phone', 'Phone')}
          {field('fax', 'Fax')}
          {field('email', 'Email')}
          {field('directAddress', 'Direct address')}
        </SimpleGrid>
        {field('address', 'Address')}
        <Textarea label="Note" value={f.note} onChange={(e) => setF({ ...f, note: e.currentTarget.value })} error={errors['note']} autosize minRows={2} />
        {problem && (
          <Alert color="red" data-testid="contact-error">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => void save()}>
            {contact ? 'Save changes' : 'Add to address book'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
