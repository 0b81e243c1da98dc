import { Alert, Button, Group, Modal, MultiSelect, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { IMAGING_MODALITIES, IMAGING_MODALITY_LABELS, IMAGING_PRIORITIES, type ImagingOrder, type ImagingProcedure } from '../../../../shared/domain/imaging';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { DiagnosesInput, type Dx } from '../referrals';

const PRIORITY_LABELS: Readonly<Record<(typeof IMAGING_PRIORITIES)[number], string>> = { routine: 'Routine', urgent: 'Urgent', stat: 'STAT' };

/** Studies grouped by modality (X-ray, CT, MRI, …), each with its LOINC code. */
function studyOptions(catalog: ImagingProcedure[]): { group: string; items: { value: string; label: string }[] }[] {
  return IMAGING_MODALITIES.map((m) => ({
    group: IMAGING_MODALITY_LABELS[m],
    items: catalog.filter((p) => p.modality === m).map((p) => ({ value: p.loinc, label: `${p.display} · LOINC ${p.loinc}` })),
  })).filter((g) => g.items.length > 0);
}

/** A physician's imaging order: studies from the shipped list, the clinical indication, ICD-10 diagnoses and priority. */
export function OrderImagingDialog({
  patientId,
  onClose,
  onOrdered,
}: {
  patientId: string;
  onClose: () => void;
  onOrdered: (o: ImagingOrder) => void;
}): ReactElement {
  const [catalog, setCatalog] = useState<ImagingProcedure[]>([]);
  const [studies, setStudies] = useState<string[]>([]);
  const [indication, setIndication] = useState('');
  const [priority, setPriority] = useState<(typeof IMAGING_PRIORITIES)[number]>('routine');
  const [diagnoses, setDiagnoses] = useState<Dx[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => void api['imaging.catalog']({}).then((r) => (r.ok ? setCatalog(r.value) : setProblem(r.error.message))), []);
  const preparation = catalog.filter((p) => studies.includes(p.loinc) && p.preparation);

  const order = async (): Promise<void> => {
    setBusy(true);
    const r = await api['imaging.order']({ patientId, loincCodes: studies, indication, priority, diagnoses: diagnoses.map((d) => d.code) });
    setBusy(false);
    if (!r.ok) {
      setErrors(issuesToErrors(r.error.issues));
      return setProblem(r.error.message);
    }
    onOrdered(r.value);
  };

  return (
    <Modal opened onClose={onClose} title="Order imaging" size="lg">
      <Stack data-testid="order-imaging">
        <MultiSelect
          label="Studies"
          placeholder={studies.length === 0 ? 'Search the study list (e.g. CT head)' : undefined}
          data={studyOptions(catalog)}
          value={studies}
          onChange={setStudies}
          searchable
          required
          nothingFoundMessage="Not on the study list"
          error={errors['loincCodes']}
          data-autofocus
          data-testid="imaging-studies"
        />
        {preparation.map((p) => (
          <Text key={p.loinc} size="sm" c="dimmed">
            {p.display}: {p.preparation}
          </Text>
        ))}
        <Textarea
          label="Clinical indication"
          description="What the radiologist reads the study for"
          required
          autosize
          minRows={2}
          value={indication}
          onChange={(e) => setIndication(e.currentTarget.value)}
          error={errors['indication']}
        />
        <Radio.Group label="Priority" value={priority} onChange={(v) => setPriority(v)}>
          <Group mt={4}>
            {IMAGING_PRIORITIES.map((p) => (
              <Radio key={p} value={p} label={PRIORITY_LABELS[p]} />
            ))}
          </Group>
        </Radio.Group>
        <DiagnosesInput value={diagnoses} onChange={setDiagnoses} error={errors['diagnoses'] ?? errors['diagnoses.0']} />
        {problem && (
          <Alert color="red" data-testid="order-imaging-error">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => void order()}>
            Place order
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
