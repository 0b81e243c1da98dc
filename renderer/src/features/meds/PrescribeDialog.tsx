import { Alert, Button, Checkbox, Group, Modal, NumberInput, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { doseUnit } from '../../../../shared/domain/drugs';
import { dosesPerDay, FREQUENCIES, route, sig as sigSchema, sigText, type Sig } from '../../../../shared/domain/sig';
import { api } from '../../lib/api';
import { AlertList } from './AlertList';

type DrugHit = Out<'meds.searchDrugs'>[number];
type Check = Out<'meds.check'>;

/** Prescribe: pick a drug, build the sig, see every alert before signing, override with reasons, sign with the password. */
export function PrescribeDialog({ patientId, encounterId, opened, onClose, onDone }: { patientId: string; encounterId?: string; opened: boolean; onClose: () => void; onDone: (prescriptionId: string) => void }): ReactElement {
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 150);
  const [hits, setHits] = useState<DrugHit[]>([]);
  const [drug, setDrug] = useState<DrugHit | null>(null);
  const [s, setS] = useState<Partial<Sig>>({ doseAmount: 1, doseUnit: 'tablet', route: 'oral', frequency: 'qd', prn: false, quantity: 30, quantityUnit: 'tablet', refills: 0 });
  const [check, setCheck] = useState<Check | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api['meds.searchDrugs']({ query: debounced }).then((r) => r.ok && setHits(r.value)), [debounced]);
  const parsed = sigSchema.safeParse(s);
  useEffect(() => {
    if (!drug) return;
    // Doses in tablets or mL are checked too: the engine converts them through the drug's strength.
    const dose = parsed.success ? { amount: parsed.data.doseAmount, unit: parsed.data.doseUnit, perDay: dosesPerDay(parsed.data) } : undefined;
    void api['meds.check']({ patientId, rxcui: drug.rxcui, ...(dose && { dose }) }).then((r) => (r.ok ? setCheck(r.value) : setError(r.error.message)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-check when the drug or the dose changes, not on every keystroke elsewhere
  }, [drug, patientId, s.doseAmount, s.doseUnit, s.frequency]);

  const blocking = (check?.alerts ?? []).filter((a) => a.severity !== 'moderate' && (reasons[a.ruleId] ?? '').trim().length < 3);
  const sign = async (): Promise<void> => {
    if (!drug || !parsed.success) return;
    const overrides = Object.entries(reasons).filter(([, r]) => r.trim()).map(([ruleId, reason]) => ({ ruleId, reason }));
    const r = await api['meds.prescribe']({ patientId, ...(encounterId && { encounterId }), rxcui: drug.rxcui, sig: parsed.data, overrides, password });
    setPassword('');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    onDone(r.value.prescriptionId);
  };
  const set = (patch: Partial<Sig>): void => setS({ ...s, ...patch });
  return (
    <Modal opened={opened} onClose={onClose} title="Prescribe" size="xl">
      <Stack>
        <Select label="Drug" placeholder="Type a name, brand or class" searchable searchValue={query} onSearchChange={setQuery} filter={({ options }) => options}
          data={hits.map((d) => ({ value: d.rxcui, label: `${d.name}${d.brands.length ? ` (${d.brands.join(', ')})` : ''}` }))}
          value={drug?.rxcui ?? null} onChange={(v) => setDrug(hits.find((d) => d.rxcui === v) ?? null)} data-testid="rx-drug" />
        <Group align="flex-end" grow>
          <NumberInput label="Dose" value={s.doseAmount ?? ''} min={0} onChange={(v) => set({ doseAmount: typeof v === 'number' ? v : undefined })} data-testid="rx-dose" />
          <Select label="Unit" data={doseUnit.options} value={s.doseUnit ?? null} onChange={(v) => v && set({ doseUnit: v })} allowDeselect={false} data-testid="rx-unit" />
          <Select label="Route" data={route.options} value={s.route ?? null} onChange={(v) => v && set({ route: v })} allowDeselect={false} />
          <Select label="Frequency" data={Object.entries(FREQUENCIES).map(([code, f]) => ({ value: code, label: `${f.abbreviation} — ${f.label}` }))} value={s.frequency ?? null} onChange={(v) => v && set({ frequency: v as Sig['frequency'] })} allowDeselect={false} data-testid="rx-frequency" />
        </Group>
        <Group align="flex-end" grow>
          <NumberInput label="Days" value={s.durationDays ?? ''} min={1} onChange={(v) => set({ durationDays: typeof v === 'number' ? v : undefined })} />
          <NumberInput label="Quantity" value={s.quantity ?? ''} min={1} onChange={(v) => set({ quantity: typeof v === 'number' ? v : undefined })} />
          <Select label="Quantity unit" data={doseUnit.options} value={s.quantityUnit ?? null} onChange={(v) => v && set({ quantityUnit: v })} allowDeselect={false} />
          <NumberInput label="Refills" value={s.refills ?? 0} min={0} max={11} onChange={(v) => set({ refills: typeof v === 'number' ? v : 0 })} />
        </Group>
        <Group align="flex-end">
          <Checkbox label="As needed (PRN)" checked={s.prn ?? false} onChange={(e) => set({ prn: e.currentTarget.checked })} />
          <TextInput label="Indication" value={s.indication ?? ''} onChange={(e) => set({ indication: e.currentTarget.value || undefined })} style={{ flex: 1 }} />
        </Group>
        {drug && parsed.success && <Text size="sm" data-testid="rx-sig">{sigText(parsed.data, drug.name)}</Text>}
        {!parsed.success && <Text size="xs" c="red">{parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</Text>}
        {check && <AlertList alerts={check.alerts} reasons={reasons} onReason={(id, r) => setReasons({ ...reasons, [id]: r })} uncoded={check.uncodedNotChecked} />}
        <PasswordInput label="Your password to sign" value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="rx-password" />
        {error && <Alert color="red" data-testid="rx-error">{error}</Alert>}
        <Button onClick={() => void sign()} disabled={!drug || !parsed.success || !password || blocking.length > 0 || !check} data-testid="rx-sign">
          {blocking.length > 0 ? `Give a reason for ${blocking.length} alert${blocking.length === 1 ? '' : 's'} to sign` : 'Sign prescription'}
        </Button>
      </Stack>
    </Modal>
  );
}
