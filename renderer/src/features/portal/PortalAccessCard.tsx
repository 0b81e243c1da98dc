import { Alert, Button, Card, Group, Loader, Radio, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import type { PortalInviteView } from '../../../../shared/api/portal.contract';
import { api } from '../../lib/api';
import { downloadPdf } from '../../lib/download';
import { issuesToErrors } from '../../lib/zod-form';
import { when } from './files';

type Made = Out<'portal.invite'>;

const day = (iso: string): string => new Date(iso).toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' });

/** An invitation's state in words: waiting, registered on…, expired, revoked. */
function stateOf(i: PortalInviteView): { text: string; color: string } {
  switch (i.status) {
    case 'pending':
      return { text: `Waiting: the code works until ${day(i.expiresAt)}`, color: 'blue' };
    case 'redeemed':
      return { text: `Registered on ${day(i.redeemedAt ?? i.createdAt)}`, color: 'teal' };
    case 'expired':
      return { text: `Expired on ${day(i.expiresAt)}, never used`, color: 'gray' };
    case 'revoked':
      return { text: `Revoked on ${day(i.revokedAt ?? i.createdAt)}`, color: 'red' };
  }
}

const who = (i: PortalInviteView): string => (i.kind === 'self' ? 'The patient' : `${i.proxyName ?? 'Parent or guardian'} (${i.proxyRelationship ?? 'proxy'})`);

/** Revoking asks why (kept with the invitation and in the audit log). */
function RevokeRow({ invite, onDone }: { invite: PortalInviteView; onDone: () => void }): ReactElement {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const revoke = async (): Promise<void> => {
    const r = await api['portal.revoke']({ inviteId: invite.id, reason });
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    setAsking(false);
    onDone();
  };
  if (!asking)
    return (
      <Button
        size="compact-sm"
        variant="default"
        color="red"
        onClick={() => setAsking(true)}
        aria-label={`Revoke access: ${who(invite)}`}
        data-testid="portal-revoke"
      >
        Revoke
      </Button>
    );
  return (
    <Group gap={4} align="flex-start" wrap="nowrap">
      <TextInput
        size="xs"
        label="Why is access revoked?"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={error ?? undefined}
        data-autofocus
        data-testid="portal-revoke-reason"
      />
      <Button size="xs" mt={22} color="red" onClick={() => void revoke()} data-testid="portal-revoke-confirm">
        Revoke
      </Button>
      <Button size="xs" mt={22} variant="default" onClick={() => setAsking(false)}>
        Keep
      </Button>
    </Group>
  );
}

/**
 * The chart's portal card: invite the patient (or a parent or guardian, for a child), see the
 * one-time code and its expiry once with the printable letter, list every invitation and its
 * state, and revoke access.
 */
export function PortalAccessCard({ patientId }: { patientId: string }): ReactElement {
  const [invites, setInvites] = useState<PortalInviteView[] | null>(null);
  const [kind, setKind] = useState<'self' | 'proxy'>('self');
  const [proxyName, setProxyName] = useState('');
  const [proxyRelationship, setProxyRelationship] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<Made | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => void api['portal.access']({ patientId }).then((r) => (r.ok ? setInvites(r.value) : setError(r.error.message))), [patientId]);
  useEffect(load, [load]);

  const invite = async (): Promise<void> => {
    setBusy(true);
    const r = await api['portal.invite']({ patientId, kind, ...(kind === 'proxy' && { proxyName, proxyRelationship }) });
    setBusy(false);
    if (!r.ok) {
      setErrors(issuesToErrors(r.error.issues));
      return setError(r.error.issues?.length ? null : r.error.message);
    }
    setErrors({});
    setError(null);
    setMade(r.value);
    setProxyName('');
    setProxyRelationship('');
    load();
  };

  return (
    <Card withBorder mt="md" data-testid="portal-access-card">
      <Stack gap="sm">
        <Title order={4}>Patient portal</Title>
        <Radio.Group label="Who gets access" value={kind} onChange={(v) => setKind(v === 'proxy' ? 'proxy' : 'self')} data-testid="portal-invite-kind">
          <Group mt={4}>
            <Radio value="self" label="The patient" data-testid="portal-invite-self" />
            <Radio value="proxy" label="A parent or guardian" data-testid="portal-invite-proxy" />
          </Group>
        </Radio.Group>
        {kind === 'proxy' && (
          <Group align="flex-start">
            <TextInput
              label="Parent or guardian's name"
              value={proxyName}
              onChange={(e) => setProxyName(e.currentTarget.value)}
              error={errors['proxyName']}
              w={280}
              data-testid="portal-proxy-name"
            />
            <TextInput
              label="Relationship to the patient"
              placeholder="mother, father, guardian…"
              value={proxyRelationship}
              onChange={(e) => setProxyRelationship(e.currentTarget.value)}
              error={errors['proxyRelationship']}
              w={240}
              data-testid="portal-proxy-relationship"
            />
          </Group>
        )}
        <Group>
          <Button onClick={() => void invite()} loading={busy} data-testid="portal-invite">
            Make invitation
          </Button>
        </Group>
        {error && (
          <Alert color="red" withCloseButton onClose={() => setError(null)}>
            {error}
          </Alert>
        )}
        {made && (
          <Alert color="teal" variant="light" title="Invitation made" withCloseButton onClose={() => setMade(null)} data-testid="portal-invite-made">
            <Stack gap={6}>
              <Text size="sm">
                Code:{' '}
                <Text span ff="monospace" fw={700} size="lg" data-testid="portal-invite-code">
                  {made.code}
                </Text>
              </Text>
              <Text size="sm" data-testid="portal-invite-expires">
                Valid until {when(made.expiresAt)}. It is shown only now: print the letter or read the code to the patient.
              </Text>
              <Group>
                <Button size="sm" variant="default" onClick={() => downloadPdf(made.fileName, made.letterPdfBase64)} data-testid="portal-invite-letter">
                  Invitation letter (PDF)
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        <Title order={5}>Invitations</Title>
        {!invites ? (
          !error && <Loader size="sm" aria-label="Loading invitations" />
        ) : invites.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="portal-invites-none">
            No invitations yet: this patient has no portal access.
          </Text>
        ) : (
          <Table data-testid="portal-invites">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>For</Table.Th>
                <Table.Th>Made</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Access</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invites.map((i) => {
                const s = stateOf(i);
                return (
                  <Table.Tr key={i.id} data-testid="portal-invite-row" data-status={i.status}>
                    <Table.Td>{who(i)}</Table.Td>
                    <Table.Td>
                      {day(i.createdAt)} by {i.createdBy}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={s.color} fw={600} data-testid="portal-invite-state">
                        {s.text}
                      </Text>
                    </Table.Td>
                    <Table.Td>{(i.status === 'pending' || i.status === 'redeemed') && <RevokeRow invite={i} onDone={load} />}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
