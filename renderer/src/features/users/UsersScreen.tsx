import { Alert, Badge, Button, Group, Modal, NumberInput, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { contract, type Out } from '../../../../shared/api/contract';
import { role, ROLE_LABELS } from '../../../../shared/domain/user';
import { PASSWORD_HINT } from '../../../../shared/domain/password-policy';
import { api } from '../../lib/api';
import { issuesToErrors, zodValidate } from '../../lib/zod-form';
import { useSession } from '../../stores/session.store';
import { ScreenTitle } from '../../components';
import { ClinicSettingsForm } from './ClinicSettingsForm';
import { BpGuidelineSetting } from './BpGuidelineSetting';
import { PrescriberIdsDialog, type PrescriberTarget } from './PrescriberIdsDialog';

/** Sets a new password for someone who forgot theirs (the policy applies; their lockout is cleared, their sessions end). */
function ResetPasswordDialog({ username, onClose, onDone }: { username: string | null; onClose: () => void; onDone: (message: string) => void }): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const validate = zodValidate(contract['users.resetPassword'].input);
  const form = useForm({ initialValues: { password: '' }, validate: (v) => validate({ ...v, username }) });
  const close = (): void => {
    form.reset();
    setError(null);
    onClose();
  };
  return (
    <Modal opened={username !== null} onClose={close} title={`Reset the password of ${username ?? ''}`}>
      <form
        onSubmit={form.onSubmit(async (v) => {
          if (!username) return;
          const r = await api['users.resetPassword']({ username, password: v.password });
          if (!r.ok) {
            setError(r.error.message);
            form.setErrors(issuesToErrors(r.error.issues));
            return;
          }
          close();
          onDone(`Password of ${username} reset; any lockout is cleared and their open sessions end.`);
        })}
      >
        <Stack>
          <Text size="sm">Give the new password to the person in person; it works at once.</Text>
          <PasswordInput
            label="New password"
            description={PASSWORD_HINT}
            data-autofocus
            data-testid="reset-password-input"
            {...form.getInputProps('password')}
          />
          {error && <Alert color="red">{error}</Alert>}
          <Button type="submit" data-testid="reset-password-submit">
            Set new password
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

/** Administrators add the people who use Cairn (each signs in as themselves), disable them, and reset passwords. */
export function UsersScreen(): ReactElement {
  const [users, setUsers] = useState<Out<'users.list'>>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState<string | null>(null);
  const [ids, setIds] = useState<PrescriberTarget | null>(null);
  const me = useSession((s) => s.session?.user?.id);
  const refresh = useSession((s) => s.refresh);
  const [autoLock, setAutoLock] = useState<number>(useSession.getState().session?.autoLockMinutes ?? 10);
  const validateNew = zodValidate(contract['users.create'].input);
  // NPI and DEA fields show (and count) for a physician only.
  const form = useForm({
    initialValues: { username: '', displayName: '', role: 'physician', password: '', npi: '', dea: '' },
    validate: (v) => validateNew(v.role === 'physician' ? v : { ...v, npi: '', dea: '' }),
  });
  const load = useCallback(() => void api['users.list']({}).then((r) => (r.ok ? setUsers(r.value) : setError(r.error.message))), []);
  useEffect(load, [load]);
  const setDisabled = async (username: string, disabled: boolean): Promise<void> => {
    const r = await (disabled ? api['users.disable']({ username }) : api['users.enable']({ username }));
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setNotice(disabled ? `${username} is disabled and cannot sign in.` : `${username} can sign in again.`);
    load();
  };
  return (
    <Stack>
      <ScreenTitle title="Users" />
      <Table>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>{u.username}</Table.Td>
              <Table.Td>
                <Badge variant="light">{ROLE_LABELS[u.role]}</Badge>
              </Table.Td>
              <Table.Td>
                {u.disabled ? (
                  <Badge color="gray" data-testid="user-disabled">
                    disabled
                  </Badge>
                ) : (
                  ''
                )}
              </Table.Td>
              <Table.Td data-testid={`ids-${u.username}`}>
                {u.role === 'physician' ? `NPI ${u.npi ?? 'not recorded'}${u.dea ? ` · DEA ${u.dea}` : ''}` : ''}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end">
                  {u.id !== me && (
                    <Button
                      size="xs"
                      variant="light"
                      color={u.disabled ? 'teal' : 'red'}
                      onClick={() => void setDisabled(u.username, !u.disabled)}
                      data-testid={`toggle-${u.username}`}
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  )}
                  {u.role === 'physician' && (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setIds({ username: u.username, npi: u.npi, dea: u.dea })}
                      data-testid={`prescriber-ids-${u.username}`}
                    >
                      NPI / DEA
                    </Button>
                  )}
                  <Button size="xs" variant="default" onClick={() => setResetting(u.username)} data-testid={`reset-${u.username}`}>
                    Reset password
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form
        onSubmit={form.onSubmit(async (v) => {
          // NPI and DEA only for a physician (a value typed before the role changed is not sent).
          const prescriber = v.role === 'physician';
          const r = await api['users.create']({ ...v, role: role.parse(v.role), npi: prescriber ? v.npi : null, dea: prescriber ? v.dea : null });
          if (!r.ok) {
            setError(r.error.message);
            form.setErrors(issuesToErrors(r.error.issues));
          } else {
            setError(null);
            form.reset();
            load();
          }
        })}
      >
        <Group align="flex-start">
          <TextInput label="User name" {...form.getInputProps('username')} />
          <TextInput label="Full name" {...form.getInputProps('displayName')} />
          <Select
            label="Role"
            data={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
            allowDeselect={false}
            {...form.getInputProps('role')}
          />
          <PasswordInput label="Password" description={PASSWORD_HINT} maw={320} {...form.getInputProps('password')} />
          {form.values.role === 'physician' && <TextInput label="NPI" description="optional, 10 digits" w={150} {...form.getInputProps('npi')} />}
          {form.values.role === 'physician' && <TextInput label="DEA number" description="optional" w={150} {...form.getInputProps('dea')} />}
          <Button type="submit" mt={25}>
            Add user
          </Button>
        </Group>
      </form>
      {error && <Alert color="red">{error}</Alert>}
      {notice && !error && (
        <Alert color="teal" data-testid="users-notice">
          {notice}
        </Alert>
      )}
      <ResetPasswordDialog
        username={resetting}
        onClose={() => setResetting(null)}
        onDone={(m) => {
          setError(null);
          setNotice(m);
        }}
      />
      <PrescriberIdsDialog
        target={ids}
        onClose={() => setIds(null)}
        onDone={(m) => {
          setError(null);
          setNotice(m);
          load();
        }}
      />
      <Title order={2} size="h3" mt="lg">
        Automatic sign-out
      </Title>
      <Group align="flex-end">
        <NumberInput
          label="Minutes without activity"
          min={1}
          max={240}
          value={autoLock}
          onChange={(v) => setAutoLock(typeof v === 'number' ? v : 10)}
          w={220}
        />
        <Button
          variant="light"
          onClick={() => void api['settings.autoLock']({ minutes: autoLock }).then((r) => (r.ok ? void refresh() : setError(r.error.message)))}
        >
          Save
        </Button>
      </Group>
      <ClinicSettingsForm />
      <BpGuidelineSetting />
    </Stack>
  );
}
