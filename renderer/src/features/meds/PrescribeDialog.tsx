import { Alert, Button, Checkbox, Group, Modal, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { doseUnit, productUnit } from '../../../../shared/domain/drugs';
import { dosesPerDay, FREQUENCIES, route, sig as sigSchema, sigText, type Sig } from '../../../../shared/domain/sig';
import { ClinicalNumberInput } from '../../components/ClinicalNumberInput';
import { api } from '../../lib/api';
import { AlertList } from './AlertList';
import { DrugPicker, type DrugHit } from './DrugPicker';

type Check = Out<'meds.check'>;

/**
 * A new prescription's directions: nothing carried over from an earlier one. Only what the drug
 * itself decides (its route, the unit its product is counted in) is filled in; refills start at 0.
 */
function freshSig(drug: DrugHit | null): Partial<Sig> {
  const unit = drug ? productUnit(drug.doseForm) : null;
  const r = drug ? route.safeParse(drug.route) : null;
  return { prn: false, refills: 0, ...(unit && { doseUnit: unit, quantityUnit: unit }), ...(r?.success && { route: r.data }) };
}

const FIELD_NAMES: Record<string, string> = {
  doseAmount: 'dose',
  doseUnit: 'unit',
  route: 'route',
  frequency: 'frequency',
  quantity: 'quantity',
  quantityUnit: 'quantity unit',
  refills: 'refills',
};

/** Prescribe: pick a drug, build the sig, see every alert before signing, override with reasons, sign with the password. */
export function PrescribeDialog({
  patientId,
  encounterId,
  opened,
  onClose,
  onDone,
}: {
  patientId: string;
  encounterId?: string;
  opened: boolean;
  onClose: () => void;
  onDone: (prescriptionId: string) => void;
}): ReactElement {
  // Important: the form lives only while the dialog is open, so every prescription starts empty.
  return (
    <Modal opened={opened} onClose={onClose} title="Prescribe" size="xl">
      {opened && <PrescribeForm patientId={patientId} encounterId={encounterId} onDone={onDone} />}
    </Modal>
  );
}

function PrescribeForm({
  patientId,
  encounterId,
  onDone,
}: {
  patientId: string;
  encounterId: string | undefined;
  onDone: (prescriptionId: string) => void;
}): ReactElement {
  const [drug, setDrug] = useState<DrugHit | null>(null);
  const [s, setS] = useState<Partial<Sig>>(() => freshSig(null));
  // The check answers one exact drug and dose: `key` says which, so an answer for anything else is never shown.
  const [check, setCheck] = useState<{ key: string; result: Check } | null>(null);
  const [recheck, setRecheck] = useState(0);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const seq = useRef(0);
  const parsed = sigSchema.safeParse(s);
  // Doses in tablets or mL are checked too: the engine converts them through the drug's strength.
  const dose = parsed.success ? { amount: parsed.data.doseAmount, unit: parsed.data.doseUnit, perDay: dosesPerDay(parsed.data) } : undefined;
  const checkKey = drug ? JSON.stringify([drug.rxcui, dose ?? null, recheck]) : null;
  useEffect(() => {
    if (!drug || checkKey === null) return;
    const mine = ++seq.current;
    void api['meds.check']({ patientId, rxcui: drug.rxcui, ...(dose && { dose }) }).then((r) => {
      if (mine !== seq.current) return; // a later drug or dose was asked for since
      if (r.ok) setCheck({ key: checkKey, result: r.value });
      else setError(r.error.message);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- checkKey names exactly the drug and dose being checked
  }, [checkKey, patientId]);
  const current = check && check.key === checkKey ? check.result : null;
  const alerts = current?.alerts ?? [];
  const blocking = alerts.filter((a) => a.severity !== 'moderate' && (reasons[a.ruleId] ?? '').trim().length < 3);

  const chooseDrug = (d: DrugHit | null): void => {
    // Important: everything in the sig belongs to the drug it was written for; a new drug starts over.
    setDrug(d);
    setS(freshSig(d));
    setReasons({});
    setError(null);
    setNotice(null);
  };
  const sign = async (): Promise<void> => {
    if (!drug || !parsed.success || !current) return;
    // Only reasons for the alerts on screen (the ones for this exact drug and dose) are sent.
    const overrides = alerts.filter((a) => (reasons[a.ruleId] ?? '').trim()).map((a) => ({ ruleId: a.ruleId, reason: reasons[a.ruleId]!.trim() }));
    const r = await api['meds.prescribe']({ patientId, ...(encounterId && { encounterId }), rxcui: drug.rxcui, sig: parsed.data, overrides, password });
    setPassword('');
    if (!r.ok) {
      if (r.error.code === 'needs_override') {
        // The list changed since the check (another device or window): check again, so every alert shows here with its reason field.
        setNotice('The chart changed since the check: the alerts below are up to date.');
        setRecheck((n) => n + 1);
      } else setError(r.error.message);
      return;
    }
    setError(null);
    onDone(r.value.prescriptionId);
  };
  const set = (patch: Partial<Sig>): void => setS({ ...s, ...patch });
  const num = (v: string | number): number | undefined => (typeof v === 'number' ? v : undefined);
  const missing = parsed.success
    ? []
    : [...new Set(parsed.error.issues.filter((i) => i.code === 'invalid_type' || i.code === 'invalid_value').map((i) => String(i.path[0])))];
  const problems = parsed.success ? [] : parsed.error.issues.filter((i) => i.code !== 'invalid_type' && i.code !== 'invalid_value');
  return (
    <Stack>
      <DrugPicker label="Drug" placeholder="Type a name, brand or class" value={drug} onChange={chooseDrug} testId="rx-drug" />
      <Group align="flex-end" grow>
        <ClinicalNumberInput label="Dose" value={s.doseAmount ?? ''} min={0} onChange={(v) => set({ doseAmount: num(v) })} data-testid="rx-dose" />
        <Select
          label="Unit"
          data={doseUnit.options}
          value={s.doseUnit ?? null}
          onChange={(v) => v && set({ doseUnit: v })}
          allowDeselect={false}
          data-testid="rx-unit"
        />
        <Select
          label="Route"
          data={route.options}
          value={s.route ?? null}
          onChange={(v) => v && set({ route: v })}
          allowDeselect={false}
          data-testid="rx-route"
        />
        <Select
          label="Frequency"
          data={Object.entries(FREQUENCIES).map(([code, f]) => ({ value: code, label: `${f.abbreviation} — ${f.label}` }))}
          value={s.frequency ?? null}
          onChange={(v) => v && set({ frequency: v as Sig['frequency'] })}
          allowDeselect={false}
          data-testid="rx-frequency"
        />
      </Group>
      <Group align="flex-end" grow>
        <ClinicalNumberInput label="Days" value={s.durationDays ?? ''} min={1} onChange={(v) => set({ durationDays: num(v) })} data-testid="rx-days" />
        <ClinicalNumberInput label="Quantity" value={s.quantity ?? ''} min={1} onChange={(v) => set({ quantity: num(v) })} data-testid="rx-quantity" />
        <Select
          label="Quantity unit"
          data={doseUnit.options}
          value={s.quantityUnit ?? null}
          onChange={(v) => v && set({ quantityUnit: v })}
          allowDeselect={false}
          data-testid="rx-quantity-unit"
        />
        <ClinicalNumberInput label="Refills" value={s.refills ?? ''} min={0} max={11} onChange={(v) => set({ refills: num(v) })} data-testid="rx-refills" />
      </Group>
      <Group align="flex-end">
        <Checkbox label="As needed (PRN)" checked={s.prn ?? false} onChange={(e) => set({ prn: e.currentTarget.checked })} />
        <TextInput
          label="Indication"
          value={s.indication ?? ''}
          onChange={(e) => set({ indication: e.currentTarget.value || undefined })}
          style={{ flex: 1 }}
          data-testid="rx-indication"
        />
      </Group>
      {drug && parsed.success && (
        <Text size="sm" data-testid="rx-sig">
          {sigText(parsed.data, drug.name)}
        </Text>
      )}
      {drug && missing.length > 0 && (
        <Text size="xs" c="dimmed">
          To complete: {missing.map((f) => FIELD_NAMES[f] ?? f).join(', ')}
        </Text>
      )}
      {problems.length > 0 && (
        <Text size="xs" c="red">
          {problems.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}
        </Text>
      )}
      {drug && !current && (
        <Text size="sm" c="dimmed" data-testid="rx-checking">
          Checking {drug.name}…
        </Text>
      )}
      {current && notice && (
        <Alert color="yellow" data-testid="rx-rechecked">
          {notice}
        </Alert>
      )}
      {current && <AlertList alerts={alerts} reasons={reasons} onReason={(id, r) => setReasons({ ...reasons, [id]: r })} uncoded={current.uncodedNotChecked} />}
      <PasswordInput label="Your password to sign" value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="rx-password" />
      {error && (
        <Alert color="red" data-testid="rx-error">
          {error}
        </Alert>
      )}
      <Button onClick={() => void sign()} disabled={!drug || !parsed.success || !password || blocking.length > 0 || !current} data-testid="rx-sign">
        {blocking.length > 0 ? `Give a reason for ${blocking.length} alert${blocking.length === 1 ? '' : 's'} to sign` : 'Sign prescription'}
      </Button>
    </Stack>
  );
}
