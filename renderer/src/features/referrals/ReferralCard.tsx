import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactElement, type ReactNode } from 'react';
import { REFERRAL_TRANSITIONS, type Referral } from '../../../../shared/domain/referrals';
import { api } from '../../lib/api';
import { downloadPdf } from '../../lib/download';
import { ChartDocument } from './ChartDocument';
import { downloadXml } from '../../lib/download';
import { STATUS_COLORS, STATUS_LABELS, URGENCY_COLORS, URGENCY_LABELS, dateTime, day } from './labels';
import type { ReferralStep } from './ReferralStepDialog';

/** "Cardiology · Dr. Amal Patel, Lakeside Heart": what the card and its region are called. */
export const referralTitle = (r: Referral): string =>
  `${r.specialty}${r.contact ? ` · ${r.contact.name}${r.contact.organization ? `, ${r.contact.organization}` : ''}` : ''}`;

function Field({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

/**
 * One referral: who it goes to, why, how urgent, its dates, and the steps its status allows now
 * (only those, and only for a role that may move it): send, mark scheduled, consult note received,
 * close, cancel. The letter (PDF) and the C-CDA Referral Note are there to send with it.
 */
export function ReferralCard({
  referral: r,
  mayAdvance,
  onStep,
  onChanged,
}: {
  referral: Referral;
  mayAdvance: boolean;
  onStep: (step: ReferralStep) => void;
  onChanged: (r: Referral) => void;
}): ReactElement {
  const [problem, setProblem] = useState<string | null>(null);
  const next = REFERRAL_TRANSITIONS[r.status];
  const titleId = `referral-${r.id}`;
  const send = async (): Promise<void> => {
    const res = await api['referrals.advance']({ id: r.id, expectedVersion: r.version, to: 'sent' });
    if (res.ok) onChanged(res.value);
    else setProblem(res.error.message);
  };
  const letter = async (): Promise<void> => {
    const res = await api['referrals.letter']({ id: r.id });
    if (res.ok) downloadPdf(res.value.fileName, res.value.base64);
    else setProblem(res.error.message);
  };
  const note = async (): Promise<void> => {
    const res = await api['referrals.summary']({ id: r.id });
    if (res.ok) downloadXml(res.value.fileName, res.value.xml);
    else setProblem(res.error.message);
  };
  return (
    <Card withBorder component="section" aria-labelledby={titleId} data-testid="referral-card" data-status={r.status} data-referral-id={r.id}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4" id={titleId}>
            {r.direction === 'in' ? 'Incoming: ' : ''}
            {referralTitle(r)}
          </Title>
          <Group gap={6} wrap="nowrap">
            <Badge color={URGENCY_COLORS[r.urgency]} variant="outline" data-testid="referral-urgency">
              {URGENCY_LABELS[r.urgency]}
            </Badge>
            <Badge color={STATUS_COLORS[r.status]} data-testid="referral-status">
              {STATUS_LABELS[r.status]}
            </Badge>
          </Group>
        </Group>
        <Text size="sm">{r.reason}</Text>
        {r.diagnoses.length > 0 && (
          <Text size="sm" data-testid="referral-diagnoses">
            Diagnoses: {r.diagnoses.map((d) => `${d.code}${d.display ? ` ${d.display}` : ''}`).join('; ')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 2, md: 5 }} spacing="xs">
          <Field label="Referred by">{r.orderedByName ?? '—'}</Field>
          <Field label="Sent">{dateTime(r.sentAt)}</Field>
          <Field label="Reply expected by">{day(r.replyDue)}</Field>
          <Field label="Appointment">{dateTime(r.appointmentAt)}</Field>
          <Field label="Consult note received">{dateTime(r.consultReceivedAt)}</Field>
        </SimpleGrid>
        {r.contact && (r.contact.phone || r.contact.fax) && (
          <Text size="xs" c="dimmed">
            {[r.contact.phone && `Phone ${r.contact.phone}`, r.contact.fax && `Fax ${r.contact.fax}`].filter(Boolean).join(' · ')}
          </Text>
        )}
        {r.closedNote && <Text size="sm">{r.status === 'cancelled' ? r.closedNote : `Closing note: ${r.closedNote}`}</Text>}
        {r.consultDocumentId && <ChartDocument patientId={r.patientId} documentId={r.consultDocumentId} what="consult note" />}
        <Group gap="xs">
          {mayAdvance && next.includes('sent') && <Button onClick={() => void send()}>Send referral</Button>}
          {mayAdvance && next.includes('scheduled') && (
            <Button variant="light" onClick={() => onStep('scheduled')}>
              Mark scheduled
            </Button>
          )}
          {mayAdvance && next.includes('consult_received') && (
            <Button variant="light" onClick={() => onStep('consult_received')}>
              Consult note received
            </Button>
          )}
          {mayAdvance && next.includes('closed') && <Button onClick={() => onStep('closed')}>Close referral</Button>}
          <Button variant="default" onClick={() => void letter()}>
            Print letter
          </Button>
          <Button variant="default" onClick={() => void note()}>
            Download Referral Note (C-CDA)
          </Button>
          {mayAdvance && next.includes('cancelled') && (
            <Button variant="subtle" color="red" onClick={() => onStep('cancelled')}>
              Cancel referral
            </Button>
          )}
        </Group>
        {problem && (
          <Alert color="red" withCloseButton closeButtonLabel="Dismiss" onClose={() => setProblem(null)} data-testid="referral-problem">
            {problem}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
