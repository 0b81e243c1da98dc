import { Alert, Badge, Button, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactElement } from 'react';
import { ClinicalNumberInput } from '../../components/ClinicalNumberInput';
import type { VitalObservation } from '../../../../shared/domain/chart';
import { displayQuantity, formatNumber, unitLabel } from '../../../../shared/domain/display-units';
import { fromUcum, vitalsUnits, type VitalUnit, type VitalsUnits } from '../../../../shared/domain/vitals';
import { api } from '../../lib/api';
import { AssessmentNote } from '../growth';

const UNITS_KEY = 'cairn.vitalUnits';
const DEFAULT_UNITS: VitalsUnits = { weight: 'lb', height: 'in', temperature: '[degF]', headCircumference: 'in' };

/** The clinic's entry units are a preference (not PHI), remembered on this device. */
function savedUnits(): VitalsUnits {
  try {
    const parsed = vitalsUnits.safeParse(JSON.parse(localStorage.getItem(UNITS_KEY) ?? 'null'));
    return parsed.success ? parsed.data : DEFAULT_UNITS;
  } catch {
    return DEFAULT_UNITS;
  }
}

const CONVERTED = ['weight', 'height', 'temperature', 'headCircumference'] as const;

/**
 * A recorded vital as read (display-units): in the clinic's unit when it was converted (weight,
 * height, temperature, head circumference), with the exact stored UCUM value beside it.
 */
function recordedValue(v: VitalObservation, units: VitalsUnits): { shown: string; stored: string | null } {
  const kind = CONVERTED.find((k) => k === v.kind);
  if (kind === undefined || units[kind] === v.unit) return { shown: displayQuantity({ loinc: v.loinc, value: v.value, unit: v.unit }), stored: null };
  // One decimal, as every converted kind is read (displayDecimals).
  const converted = fromUcum(kind, v.value, units[kind] as VitalUnit<typeof kind>);
  return { shown: `${formatNumber(converted, 1)} ${unitLabel(units[kind])}`, stored: `${v.value} ${unitLabel(v.unit)}` };
}

type Entry = Partial<
  Record<'systolic' | 'diastolic' | 'heartRate' | 'respiratoryRate' | 'temperature' | 'spo2' | 'height' | 'weight' | 'painScore' | 'headCircumference', number>
>;

/** Vitals for a visit, entered in the clinic's units and stored in UCUM; impossible values are refused with the reason. */
export function VitalsPanel({
  patientId,
  encounterId,
  recorded,
  onRecorded,
}: {
  patientId: string;
  encounterId?: string;
  recorded: VitalObservation[];
  onRecorded: () => void;
}): ReactElement {
  const [units, setUnits] = useState<VitalsUnits>(savedUnits);
  const [entry, setEntry] = useState<Entry>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const setUnit = (k: keyof VitalsUnits, v: string): void => {
    const next = { ...units, [k]: v };
    setUnits(next);
    localStorage.setItem(UNITS_KEY, JSON.stringify(next));
  };
  const num = (k: keyof Entry, label: string, extra?: ReactElement): ReactElement => (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <ClinicalNumberInput
        label={label}
        value={entry[k] ?? ''}
        error={errors[k]}
        w={130}
        decimalScale={2}
        data-testid={`vital-${k}`}
        onChange={(x) => setEntry({ ...entry, [k]: typeof x === 'number' ? x : undefined })}
      />
      {extra}
    </Group>
  );
  const save = async (): Promise<void> => {
    const r = await api['vitals.record']({ patientId, ...(encounterId && { encounterId }), takenAt: new Date().toISOString(), units, ...entry });
    if (!r.ok) {
      setError(r.error.message);
      setErrors(Object.fromEntries((r.error.issues ?? []).filter((i) => i.path).map((i) => [i.path, i.message])));
      return;
    }
    setEntry({});
    setErrors({});
    setError(null);
    onRecorded();
  };
  const last = recorded.filter((v) => v.setId === recorded.at(-1)?.setId);
  return (
    // A form, so Enter in any field records the set (as the button does).
    <Card
      withBorder
      data-testid="vitals-panel"
      component="form"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (Object.values(entry).some((v) => v !== undefined)) void save();
      }}
    >
      <Title order={4} mb="xs">
        Vitals
      </Title>
      <Group align="flex-end" gap="sm">
        {num('systolic', 'Systolic')}
        {num('diastolic', 'Diastolic')}
        {num('heartRate', 'Heart rate')}
        {num('respiratoryRate', 'Resp. rate')}
        {num('spo2', 'SpO2 %')}
        {num(
          'temperature',
          'Temperature',
          <SegmentedControl
            size="xs"
            value={units.temperature}
            onChange={(v) => setUnit('temperature', v)}
            data={[
              { value: '[degF]', label: '°F' },
              { value: 'Cel', label: '°C' },
            ]}
          />,
        )}
        {num(
          'weight',
          'Weight',
          <SegmentedControl
            size="xs"
            value={units.weight}
            onChange={(v) => setUnit('weight', v)}
            data={[
              { value: 'lb', label: 'lb' },
              { value: 'kg', label: 'kg' },
            ]}
          />,
        )}
        {num(
          'height',
          'Height',
          <SegmentedControl
            size="xs"
            value={units.height}
            onChange={(v) => setUnit('height', v)}
            data={[
              { value: 'in', label: 'in' },
              { value: 'cm', label: 'cm' },
            ]}
          />,
        )}
        {num('painScore', 'Pain 0–10')}
        {num(
          'headCircumference',
          'Head circ.',
          <SegmentedControl
            size="xs"
            value={units.headCircumference}
            onChange={(v) => setUnit('headCircumference', v)}
            data={[
              { value: 'in', label: 'in' },
              { value: 'cm', label: 'cm' },
            ]}
          />,
        )}
        <Button type="submit" disabled={Object.values(entry).every((v) => v === undefined)}>
          Record vitals
        </Button>
      </Group>
      {error && (
        <Alert color="red" mt="xs" data-testid="vitals-error">
          {error}
        </Alert>
      )}
      {last.length > 0 && (
        <Stack gap={2} mt="sm">
          <Text size="xs" c="dimmed">
            Recorded {new Date(last[0]!.effectiveAt).toLocaleString()}
          </Text>
          <Table verticalSpacing={2} data-testid="vitals-recorded">
            <Table.Tbody>
              {last.map((v) => {
                const { shown, stored } = recordedValue(v, units);
                return (
                  <Table.Tr key={v.id}>
                    <Table.Td>{v.display}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {shown}
                      </Text>
                      <AssessmentNote a={v.assessment} testId={`vital-assessment-${v.kind}`} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {stored ? `stored ${stored}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>{v.interpretation && v.interpretation !== 'N' && <Badge color="red">{v.interpretation}</Badge>}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Card>
  );
}
