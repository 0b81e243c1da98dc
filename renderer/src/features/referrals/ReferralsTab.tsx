import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { Referral } from '../../../../shared/domain/referrals';
import { api } from '../../lib/api';
import { useSession } from '../../stores/session.store';
import { NewReferralDialog } from './NewReferralDialog';
import { ReferralCard } from './ReferralCard';
import { ReferralStepDialog, type ReferralStep } from './ReferralStepDialog';

const OPEN: ReadonlySet<Referral['status']> = new Set(['draft', 'sent', 'scheduled', 'consult_received']);

/** The chart's referrals, open ones first (newest first within each): make one, move it along, print and send its papers. */
export function ReferralsTab({ patientId }: { patientId: string }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [list, setList] = useState<Referral[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [step, setStep] = useState<{ referral: Referral; step: ReferralStep } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(
    () => void api['referrals.list']({ patientId }).then((r) => (r.ok ? (setList(r.value), setError(null)) : setError(r.error.message))),
    [patientId],
  );
  useEffect(load, [load]);
  const changed = (message: string): void => {
    setStep(null);
    setCreating(false);
    setNotice(message);
    load();
  };
  const ordered = list ? [...list.filter((r) => OPEN.has(r.status)), ...list.filter((r) => !OPEN.has(r.status))] : [];
  return (
    <Stack data-testid="referrals-tab">
      <Group justify="space-between">
        <Title order={2} size="h3">
          Referrals
        </Title>
        {mayCall(role, 'referrals.create') && <Button onClick={() => setCreating(true)}>New referral</Button>}
      </Group>
      <div role="status" aria-live="polite">
        {notice && (
          <Alert color="green" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)} data-testid="referrals-notice">
            {notice}
          </Alert>
        )}
      </div>
      {error && <Alert color="red">{error}</Alert>}
      {!list && !error && <Loader />}
      {list?.length === 0 && <Text c="dimmed">No referrals yet.</Text>}
      {ordered.map((r) => (
        <ReferralCard
          key={`${r.id}-${r.version}`}
          referral={r}
          mayAdvance={mayCall(role, 'referrals.advance')}
          onStep={(s) => setStep({ referral: r, step: s })}
          onChanged={(x) => changed(`Referral to ${x.specialty} sent.`)}
        />
      ))}
      {creating && (
        <NewReferralDialog
          patientId={patientId}
          onClose={() => setCreating(false)}
          onCreated={(r) => changed(`Referral to ${r.specialty} ${r.status === 'sent' ? 'sent' : 'saved as a draft'}.`)}
        />
      )}
      {step && <ReferralStepDialog {...step} onClose={() => setStep(null)} onDone={(r) => changed(`Referral to ${r.specialty}: ${stepWords(r)}.`)} />}
    </Stack>
  );
}

function stepWords(r: Referral): string {
  switch (r.status) {
    case 'scheduled':
      return 'appointment saved';
    case 'consult_received':
      return 'consult note recorded';
    case 'closed':
      return 'closed';
    case 'cancelled':
      return 'cancelled';
    case 'draft':
      return 'saved as a draft';
    case 'sent':
      return 'sent';
  }
}
