import { Alert, Button, Group, Modal, Radio, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { REFERRAL_REPLY_DAYS, REFERRAL_URGENCIES } from '../../../../shared/domain/records';
import type { Referral, ReferralContact, ReferralUrgency } from '../../../../shared/domain/referrals';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { useSession } from '../../stores/session.store';
import { DiagnosesInput, type Dx } from './DiagnosesInput';
import { URGENCY_LABELS } from './labels';

export const contactLabel = (c: ReferralContact): string => `${c.name}${c.organization ? `, ${c.organization}` : ''} · ${c.specialty}`;

interface Draft {
  contactId: string | null;
  specialty: string;
  reason: string;
  urgency: ReferralUrgency;
  diagnoses: Dx[];
  replyDue: string;
  referringId: string | null;
}
const EMPTY: Draft = { contactId: null, specialty: '', reason: '', urgency: 'routine', diagnoses: [], replyDue: '', referringId: null };

/**
 * A new referral: the specialist from the clinic's address book (or a specialty only), the reason,
 * urgency and ICD-10 diagnoses. A nurse enters it on a named physician's behalf (the letter goes out
 * in the physician's name). Saved as a draft (to print the letter first) or sent now.
 */
export function NewReferralDialog({
  patientId,
  onClose,
  onCreated,
}: {
  patientId: string;
  onClose: () => void;
  onCreated: (r: Referral) => void;
}): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const onBehalf = role !== 'physician';
  const [contacts, setContacts] = useState<ReferralContact[]>([]);
  const [physicians, setPhysicians] = useState<{ id: string; displayName: string }[]>([]);
  const [d, setD] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void api['referrals.contacts.list']({}).then((r) => r.ok && setContacts(r.value));
    if (onBehalf) void api['schedule.providers']({}).then((r) => r.ok && setPhysicians(r.value.filter((p) => p.role === 'physician')));
  }, [onBehalf]);
  const contact = contacts.find((c) => c.id === d.contactId) ?? null;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]): void => setD((x) => ({ ...x, [k]: v }));

  const save = async (status: 'draft' | 'sent'): Promise<void> => {
    setBusy(true);
    const r = await api['referrals.create']({
      patientId,
      ...(d.contactId && { contactId: d.contactId }),
      ...(d.specialty.trim() && { specialty: d.specialty }),
      reason: d.reason,
      urgency: d.urgency,
      diagnoses: d.diagnoses.map((x) => x.code),
      ...(d.replyDue && { replyDue: d.replyDue }),
      ...(onBehalf && d.referringId && { referringId: d.referringId }),
      status,
    });
    setBusy(false);
    if (!r.ok) {
      setErrors(issuesToErrors(r.error.issues));
      return setProblem(r.error.message);
    }
    setD(EMPTY);
    onCreated(r.value);
  };

  return (
    <Modal opened onClose={onClose} title="New referral" size="lg">
      <Stack data-testid="new-referral">
        <Select
          label="Specialist (address book)"
          placeholder={contacts.length === 0 ? 'The address book is empty: give a specialty below' : 'Search by name, organization or specialty'}
          data={contacts.map((c) => ({ value: c.id, label: contactLabel(c) }))}
          value={d.contactId}
          onChange={(v) => set('contactId', v)}
          searchable
          clearable
          nothingFoundMessage="Not in the address book"
          error={errors['contactId']}
          data-autofocus
          data-testid="referral-contact"
        />
        <TextInput
          label="Specialty"
          description={contact ? `Leave empty for ${contact.specialty}` : 'Needed when no specialist is chosen'}
          value={d.specialty}
          onChange={(e) => set('specialty', e.currentTarget.value)}
          error={errors['specialty']}
        />
        <Textarea
          label="Reason for referral"
          required
          autosize
          minRows={3}
          value={d.reason}
          onChange={(e) => set('reason', e.currentTarget.value)}
          error={errors['reason']}
        />
        <Radio.Group label="Urgency" value={d.urgency} onChange={(v) => set('urgency', v)}>
          <Group mt={4}>
            {REFERRAL_URGENCIES.map((u) => (
              <Radio key={u} value={u} label={`${URGENCY_LABELS[u]} (reply in ${REFERRAL_REPLY_DAYS[u]} days)`} />
            ))}
          </Group>
        </Radio.Group>
        <DiagnosesInput value={d.diagnoses} onChange={(v) => set('diagnoses', v)} error={errors['diagnoses'] ?? errors['diagnoses.0']} />
        <TextInput
          type="date"
          label="Reply expected by"
          description="Leave empty to count from the day it is sent"
          value={d.replyDue}
          onChange={(e) => set('replyDue', e.currentTarget.value)}
          error={errors['replyDue']}
        />
        {onBehalf && (
          <Select
            label="Referring physician"
            description="The letter goes out in this physician's name"
            data={physicians.map((p) => ({ value: p.id, label: p.displayName }))}
            value={d.referringId}
            onChange={(v) => set('referringId', v)}
            error={errors['referringId']}
            required
          />
        )}
        {problem && (
          <Alert color="red" data-testid="new-referral-error">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="light" loading={busy} onClick={() => void save('draft')}>
            Save as draft
          </Button>
          <Button loading={busy} onClick={() => void save('sent')}>
            Create and send
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
