import { Alert, Button, Group, Modal, Radio, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { SearchHit } from '../../../../shared/domain/patient';
import type { CareEvent } from '../../../../shared/domain/referrals';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { localToIso } from '../referrals';
import { PatientPicker } from '../../components/PatientPicker';

/** A hospital's admission or discharge notice taken by phone or fax (a discharge opens its 2-business-day follow-up). */
export function RecordNoticeDialog({ onClose, onRecorded }: { onClose: () => void; onRecorded: (e: CareEvent) => void }): ReactElement {
  const [patient, setPatient] = useState<SearchHit | null>(null);
  const [kind, setKind] = useState<'admission' | 'discharge'>('discharge');
  const [facility, setFacility] = useState('');
  const [at, setAt] = useState('');
  const [reason, setReason] = useState('');
  const [disposition, setDisposition] = useState('');
  const [attending, setAttending] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const record = async (): Promise<void> => {
    const eventAt = localToIso(at);
    const missing: Record<string, string> = {};
    if (!patient) missing['patientId'] = 'choose the patient the notice is about';
    if (!eventAt) missing['eventAt'] = `give the date and time of the ${kind}`;
    if (Object.keys(missing).length > 0 || !patient || !eventAt) return setErrors(missing);
    setBusy(true);
    const r = await api['care.record']({
      patientId: patient.id,
      kind,
      facility,
      eventAt,
      ...(reason.trim() && { reason }),
      ...(disposition.trim() && { disposition }),
      ...(attending.trim() && { attending }),
    });
    setBusy(false);
    if (!r.ok) {
      setErrors(issuesToErrors(r.error.issues));
      return setProblem(r.error.message);
    }
    onRecorded(r.value);
  };
  return (
    <Modal opened onClose={onClose} title="Record a hospital notice" size="lg">
      <Stack data-testid="record-notice">
        <PatientPicker value={patient} onChange={setPatient} error={errors['patientId']} autoFocus />
        <Radio.Group label="Notice of" value={kind} onChange={(v) => setKind(v === 'admission' ? 'admission' : 'discharge')}>
          <Group mt={4}>
            <Radio value="discharge" label="Discharge" />
            <Radio value="admission" label="Admission" />
          </Group>
        </Radio.Group>
        <SimpleGrid cols={2}>
          <TextInput label="Hospital or facility" required value={facility} onChange={(e) => setFacility(e.currentTarget.value)} error={errors['facility']} />
          <TextInput
            type="datetime-local"
            label={kind === 'discharge' ? 'Discharged at' : 'Admitted at'}
            required
            value={at}
            onChange={(e) => setAt(e.currentTarget.value)}
            error={errors['eventAt']}
          />
          <TextInput label="Reason or diagnosis" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors['reason']} />
          <TextInput
            label="Disposition"
            placeholder="e.g. home, skilled nursing"
            value={disposition}
            onChange={(e) => setDisposition(e.currentTarget.value)}
            error={errors['disposition']}
          />
          <TextInput label="Attending physician" value={attending} onChange={(e) => setAttending(e.currentTarget.value)} error={errors['attending']} />
        </SimpleGrid>
        {problem && (
          <Alert color="red" data-testid="record-notice-error">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => void record()}>
            Record notice
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
