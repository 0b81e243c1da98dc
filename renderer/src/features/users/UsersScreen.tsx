import { Alert, Badge, Button, Group, NumberInput, PasswordInput, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { contract, type Out } from '../../../../shared/api/contract';
import { role } from '../../../../shared/domain/user';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';
import { useSession } from '../../stores/session.store';

const ROLE_LABELS: Record<string, string> = { physician: 'Physician', nurse: 'Nurse / medical assistant', front_desk: 'Front desk', billing: 'Billing', admin: 'Administrator' };

/** Administrators add the people who use Cairn (each signs in as themselves). */
export function UsersScreen(): ReactElement {
  const [users, setUsers] = useState<Out<'users.list'>>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = useSession((s) => s.refresh);
  const [autoLock, setAutoLock] = useState<number>(useSession.getState().session?.autoLockMinutes ?? 10);
  const form = useForm({ initialValues: { username: '', displayName: '', role: 'physician', password: '' }, validate: zodValidate(contract['users.create'].input) });
  const load = useCallback(() => void api['users.list']({}).then((r) => (r.ok ? setUsers(r.value) : setError(r.error.message))), []);
  useEffect(load, [load]);
  return (
    <Stack>
      <Title order={2}>Users</Title>
      <Table>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>{u.username}</Table.Td>
              <Table.Td><Badge variant="light">{ROLE_LABELS[u.role]}</Badge></Table.Td>
              <Table.Td>{u.disabled ? 'disabled' : ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form onSubmit={form.onSubmit(async (v) => {
        const r = await api['users.create']({ ...v, role: role.parse(v.role) });
        if (!r.ok) {
          setError(r.error.message);
          form.setErrors(issuesToErrors(r.error.issues));
        } else {
          setError(null);
          form.reset();
          load();
        }
      })}>
        <Group align="flex-start">
        <TextInput label="User name" {...form.getInputProps('username')} />
        <TextInput label="Full name" {...form.getInputProps('displayName')} />
        <Select label="Role" data={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))} allowDeselect={false} {...form.getInputProps('role')} />
        <PasswordInput label="Password" {...form.getInputProps('password')} />
        <Button type="submit" mt={25}>Add user</Button>
        </Group>
      </form>
      {error && <Alert color="red">{error}</Alert>}
      <Title order={3} mt="lg">Automatic sign-out</Title>
      <Group align="flex-end">
        <NumberInput label="Minutes without activity" min={1} max={240} value={autoLock} onChange={(v) => setAutoLock(typeof v === 'number' ? v : 10)} w={220} />
        <Button variant="light" onClick={() => void api['settings.autoLock']({ minutes: autoLock }).then((r) => (r.ok ? void refresh() : setError(r.error.message)))}>Save</Button>
      </Group>
    </Stack>
  );
}
