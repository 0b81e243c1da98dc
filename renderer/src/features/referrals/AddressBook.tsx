import { Alert, Button, Group, Loader, Modal, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { ReferralContact } from '../../../../shared/domain/referrals';
import { api } from '../../lib/api';
import { useFreshSearch } from '../../lib/use-fresh-search';
import { ContactDialog } from './ContactDialog';

const searchContacts = async (query: string): Promise<ReferralContact[] | null> => {
  const r = await api['referrals.contacts.list']({ ...(query && { query }) });
  return r.ok ? r.value : null;
};

/** The clinic's address book of specialists and facilities: search, add, correct, remove (kept for the referrals that name it). */
export function AddressBook(): ReactElement {
  const [query, setQuery] = useState('');
  const [all, setAll] = useState<ReferralContact[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<ReferralContact | 'new' | null>(null);
  const [removing, setRemoving] = useState<ReferralContact | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { results, pending } = useFreshSearch(query, searchContacts, { minLength: 1 });
  const load = useCallback(() => void api['referrals.contacts.list']({}).then((r) => (r.ok ? setAll(r.value) : setError(r.error.message))), []);
  useEffect(load, [load]);
  const shown = query.trim() ? results : (all ?? []);
  const saved = (message: string): void => {
    setEditing(null);
    setRemoving(null);
    setNotice(message);
    setQuery('');
    load();
  };
  const remove = async (c: ReferralContact): Promise<void> => {
    const r = await api['referrals.contacts.remove']({ id: c.id });
    if (r.ok) saved(`${c.name} was removed from the address book.`);
    else setError(r.error.message);
  };
  return (
    <Stack data-testid="address-book">
      <Group justify="space-between" align="end">
        <Title order={2} size="h3" id="address-book-title">
          Address book
        </Title>
        <Button onClick={() => setEditing('new')}>Add specialist</Button>
      </Group>
      <TextInput
        label="Search the address book"
        placeholder="Name or organization"
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        w={360}
        data-testid="contacts-search"
      />
      <div role="status" aria-live="polite">
        {notice && (
          <Alert color="green" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)}>
            {notice}
          </Alert>
        )}
      </div>
      {error && <Alert color="red">{error}</Alert>}
      {!all && !error && <Loader />}
      {all && shown.length === 0 && !pending && <Text c="dimmed">{query.trim() ? 'Nobody in the address book matches.' : 'The address book is empty.'}</Text>}
      {shown.length > 0 && (
        <Table aria-labelledby="address-book-title" data-testid="contacts-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Specialty</Table.Th>
              <Table.Th>Phone</Table.Th>
              <Table.Th>Fax</Table.Th>
              <Table.Th>NPI</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((c) => (
              <Table.Tr key={c.id} data-testid="contact-row">
                <Table.Td>
                  {c.name}
                  {c.organization && (
                    <Text size="xs" c="dimmed">
                      {c.organization}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{c.specialty}</Table.Td>
                <Table.Td>{c.phone ?? '—'}</Table.Td>
                <Table.Td>{c.fax ?? '—'}</Table.Td>
                <Table.Td>{c.npi ?? '—'}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                      Edit
                    </Button>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(c)} aria-label={`Remove ${c.name}`}>
                      Remove
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <ContactDialog
          contact={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(c) => saved(editing === 'new' ? `${c.name} was added to the address book.` : `${c.name} was saved.`)}
        />
      )}
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={removing ? `Remove ${removing.name}` : 'Remove'}>
        <Stack>
          <Text size="sm">They leave the address book; referrals that name them keep the name.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>
              Keep
            </Button>
            <Button color="red" onClick={() => removing && void remove(removing)}>
              Remove from address book
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
