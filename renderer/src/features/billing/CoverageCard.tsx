import { Alert, Badge, Button, Card, FileButton, Group, Stack, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { Coverage } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';
import { useSession } from '../../stores/session.store';
import { CardImages } from './CardImages';
import { EligibilityResult } from './EligibilityResult';
import { RANK_LABELS, readFile, RELATIONSHIP_LABELS, when } from './labels';

/** Who holds the policy, as the card says it. */
function subscriberLine(c: Coverage): string {
  if (c.relationship === 'self' || !c.subscriber) return 'Subscriber: the patient';
  const s = c.subscriber;
  return `Subscriber: ${s.lastName}, ${s.firstName} (${RELATIONSHIP_LABELS[c.relationship].toLowerCase()}), born ${s.birthDate}`;
}

/**
 * One coverage with what the front desk does to it at registration and check-in: confirm it with the
 * patient, ask the payer (a 270 through the clearinghouse) or load the payer's 271 reply.
 */
export function CoverageCard({ c, onChanged }: { c: Coverage; onChanged: () => void }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ color: string; text: string } | null>(null);
  const mayWrite = mayCall(role, 'billing.changeCoverage');
  const hasCard = c.hasCardFront || c.hasCardBack;

  const confirm = async (): Promise<void> => {
    const r = await api['billing.changeCoverage']({ coverageId: c.id, confirm: true });
    setNote(r.ok ? null : { color: 'red', text: r.error.message });
    if (r.ok) onChanged();
  };
  const check = async (response271?: string): Promise<void> => {
    setBusy(true);
    const r = await api['billing.eligibility']({ coverageId: c.id, ...(response271 && { response271 }) });
    setBusy(false);
    if (!r.ok) return setNote({ color: 'red', text: r.error.message });
    setNote(
      r.value.result
        ? null
        : { color: 'blue', text: `Inquiry sent as ${r.value.fileName}; the payer's answer has not arrived yet. Check again in a few minutes.` },
    );
    onChanged();
  };
  const load271 = async (file: File | null): Promise<void> => {
    if (file) await check(await readFile(file, 'text'));
  };

  const label = `${RANK_LABELS[c.rank]} coverage: ${c.payerName}`;
  return (
    <Card withBorder padding="sm" data-testid="coverage-card" data-rank={c.rank} aria-label={label} component="section">
      <Stack gap={4}>
        <Group justify="space-between">
          <Text fw={700}>
            {RANK_LABELS[c.rank]}: {c.payerName}{' '}
            <Text span size="xs" c="dimmed">
              (payer id {c.payerId})
            </Text>
          </Text>
          {c.confirmedAt ? (
            <Badge color="teal" variant="light" data-testid="coverage-confirmed">
              Confirmed {when(c.confirmedAt)}
            </Badge>
          ) : (
            <Badge color="gray" variant="light">
              Not confirmed
            </Badge>
          )}
        </Group>
        <Text size="sm" data-testid="coverage-detail">
          Member ID {c.memberId}
          {c.groupNumber && ` · Group ${c.groupNumber}`}
          {c.planName && ` · ${c.planName}`}
          {c.copayCents !== null && ` · Copay ${formatCents(c.copayCents)}`}
        </Text>
        <Text size="sm">{subscriberLine(c)}</Text>
        <Text size="xs" c="dimmed">
          {c.effectiveFrom ? `From ${c.effectiveFrom}` : 'No start date'}
          {c.effectiveTo ? ` to ${c.effectiveTo}` : ''} · Card images: {c.hasCardFront ? 'front' : 'no front'}, {c.hasCardBack ? 'back' : 'no back'}
        </Text>
        {hasCard && mayCall(role, 'billing.card') && <CardImages coverageId={c.id} front={c.hasCardFront} back={c.hasCardBack} />}
        {c.eligibility ? <EligibilityResult e={c.eligibility} /> : <Text size="sm">Eligibility not checked yet.</Text>}
        {note && (
          <Alert color={note.color} variant="light" data-testid="coverage-note">
            {note.text}
          </Alert>
        )}
        {mayWrite && (
          <Group gap="xs">
            {!c.confirmedAt && (
              <Button size="xs" variant="light" onClick={() => void confirm()} data-testid="coverage-confirm">
                Confirm
              </Button>
            )}
            <Button size="xs" variant="light" loading={busy} onClick={() => void check()} data-testid="eligibility-check">
              Check eligibility
            </Button>
            <FileButton onChange={(f) => void load271(f)} accept=".271,.x12,.edi,.txt,text/plain">
              {(props) => (
                <Button {...props} size="xs" variant="default" data-testid="eligibility-load-271">
                  Load a 271 reply
                </Button>
              )}
            </FileButton>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
