import { Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Referral } from '../../../../shared/domain/referrals';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { DocumentSelect } from './DocumentSelect';
import { localToIso } from './labels';

/** The steps of a referral's life that need something said (sending needs nothing). */
export type ReferralStep = 'scheduled' | 'consult_received' | 'closed' | 'cancelled';

const TITLES: Readonly<Record<ReferralStep, string>> = {
  scheduled: 'Mark scheduled',
  consult_received: 'Consult note received',
  closed: 'Close referral',
  cancelled: 'Cancel referral',
};
const SUBMIT: Readonly<Record<ReferralStep, string>> = {
  scheduled: 'Save appointment',
  consult_received: 'Record consult note',
  closed: 'Close the referral',
  cancelled: 'Cancel the referral',
};

/**
 * One step of a referral, with what it needs: the appointment's date and time, the consult note
 * (a document filed in the chart), a closing note, or the reason for cancelling. The backend checks
 * the step is allowed and says why when it is not; that message is shown as it comes.
 */
export function ReferralStepDialog({
  referral,
  step,
  onClose,
  onDone,
}: {
  referral: Referral;
  step: ReferralStep;
  onClose: () => void;
  onDone: (r: Referral) => void;
}): ReactElement {
  const [appointment, setAppointment] = useState('');
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const who = referral.contact ? referral.contact.name : referral.specialty;

  const submit = async (): Promise<void> => {
    const base = { id: referral.id, expectedVersion: referral.version };
    let input;
    switch (step) {
      case 'scheduled': {
        const at = localToIso(appointment);
        if (!at) return setErrors({ appointmentAt: 'give the appointment’s date and time' });
        input = { ...base, to: step, appointmentAt: at };
        break;
      }
      case 'consult_received':
        if (!documentId) return setErrors({ documentId: 'choose the consult note among the chart’s documents' });
        input = { ...base, to: step, documentId };
        break;
      case 'closed':
        input = { ...base, to: step, ...(text.trim() && { note: text }) };
        break;
      case 'cancelled':
        input = { ...base, to: step, reason: text };
        break;
    }
    setBusy(true);
    const r = await api['referrals.advance'](input);
    setBusy(false);
    if (!r.ok) {
      setErrors(issuesToErrors(r.error.issues));
      return setProblem(r.error.message);
    }
    onDone(r.value);
  };

  return (
    <Modal opened onClose={onClose} title={TITLES[step]}>
      <Stack data-testid="referral-step">
        <Text size="sm">
          Referral to {who} ({referral.specialty})
        </Text>
        {step === 'scheduled' && (
          <TextInput
            type="datetime-local"
            label="Appointment"
            required
            value={appointment}
            onChange={(e) => setAppointment(e.currentTarget.value)}
            error={errors['appointmentAt']}
            data-autofocus
          />
        )}
        {step === 'consult_received' && (
          <DocumentSelect
            patientId={referral.patientId}
            prefer="consult_letter"
            label="Consult note"
            value={documentId}
            onChange={setDocumentId}
            error={errors['documentId']}
          />
        )}
        {(step === 'closed' || step === 'cancelled') && (
          <Textarea
            label={step === 'closed' ? 'Closing note' : 'Reason for cancelling'}
            required={step === 'cancelled'}
            autosize
            minRows={2}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={errors['note'] ?? errors['reason']}
            data-autofocus
          />
        )}
        {problem && (
          <Alert color="red" data-testid="referral-step-error">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button color={step === 'cancelled' ? 'red' : undefined} loading={busy} onClick={() => void submit()}>
            {SUBMIT[step]}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
