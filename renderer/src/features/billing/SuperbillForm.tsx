import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { ClaimView } from '../../../../shared/domain/billing/model';
import type { Problem } from '../../../../shared/domain/clinical';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { useSession } from '../../stores/session.store';
import { DiagnosisPicker } from './DiagnosisPicker';
import { ProcedureLines } from './ProcedureLines';
import { PLACES_OF_SERVICE, toSuperbillInput, validateSuperbill, type SuperbillDraft } from './superbill-form';

/** A saved claim back into a draft, so a revision starts from what was billed. */
function draftOf(c: ClaimView | null): SuperbillDraft {
  return {
    diagnoses: (c?.diagnoses ?? []).map((code) => ({ code, description: '' })),
    lines: (c?.lines ?? []).map((l, i) => ({
      key: -1 - i,
      code: l.code,
      description: l.description ?? '',
      // The unit price it was billed at, when it divides evenly.
      feeCents: l.chargeCents % l.units === 0 ? l.chargeCents / l.units : null,
      modifiers: l.modifiers.join(', '),
      units: l.units,
      pointers: l.pointers,
      charge: '',
    })),
    placeOfService: c?.placeOfService ?? '11',
    renderingNpi: '',
  };
}

/** The patient's active problems, one click each onto the claim. */
function FromProblems({ patientId, onPick }: { patientId: string; onPick: (code: string, description: string) => void }): ReactElement | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const may = mayCall(role, 'problems.list');
  useEffect(
    () => void (may && api['problems.list']({ patientId }).then((r) => r.ok && setProblems(r.value.filter((p) => p.status === 'active' && p.icd10)))),
    [patientId, may],
  );
  if (problems.length === 0) return null;
  return (
    <Group gap={4}>
      <Text size="sm">From the problem list:</Text>
      {problems.map((p) => (
        <Button key={p.id} size="compact-xs" variant="default" onClick={() => onPick(p.icd10 ?? '', p.display)}>
          {p.icd10} {p.display}
        </Button>
      ))}
    </Group>
  );
}

/** The superbill of a finished visit: ranked diagnoses, procedure lines, place of service; saving scrubs the claim. */
export function SuperbillForm({
  patientId,
  encounterId,
  existing,
  onSaved,
  onCancel,
}: {
  patientId: string;
  encounterId: string;
  existing: ClaimView | null;
  onSaved: (c: ClaimView) => void;
  onCancel?: () => void;
}): ReactElement {
  const [draft, setDraft] = useState<SuperbillDraft>(() => draftOf(existing));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<SuperbillDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const pick = (code: string, description: string): void => {
    if (!draft.diagnoses.some((d) => d.code === code)) set({ diagnoses: [...draft.diagnoses, { code, description }] });
  };

  const save = async (): Promise<void> => {
    const found = validateSuperbill(encounterId, draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return setError('Fix the fields marked in red.');
    setSaving(true);
    const r = await api['billing.superbill'](toSuperbillInput(encounterId, draft));
    setSaving(false);
    if (r.ok) return onSaved(r.value);
    setError(r.error.message);
    setErrors(issuesToErrors(r.error.issues));
  };

  return (
    <Stack gap="sm" data-testid="superbill-form">
      <Title order={4}>Diagnoses</Title>
      <FromProblems patientId={patientId} onPick={pick} />
      <DiagnosisPicker value={draft.diagnoses} onChange={(diagnoses) => set({ diagnoses })} error={errors['diagnoses']} />
      <Title order={4}>Procedures</Title>
      <ProcedureLines value={draft.lines} dxCount={draft.diagnoses.length} errors={errors} onChange={(lines) => set({ lines })} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Place of service"
          data={PLACES_OF_SERVICE}
          value={draft.placeOfService}
          allowDeselect={false}
          onChange={(v) => set({ placeOfService: v ?? '11' })}
          error={errors['placeOfService']}
        />
        <TextInput
          label="Rendering provider NPI"
          description="Leave empty to use the NPI on the physician's profile"
          value={draft.renderingNpi}
          onChange={(e) => set({ renderingNpi: e.currentTarget.value })}
          error={errors['renderingNpi']}
          data-testid="superbill-npi"
        />
      </SimpleGrid>
      {error && (
        <Alert color="red" data-testid="superbill-error">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        )}
        <Button onClick={() => void save()} loading={saving} data-testid="superbill-save">
          Save superbill
        </Button>
      </Group>
    </Stack>
  );
}
