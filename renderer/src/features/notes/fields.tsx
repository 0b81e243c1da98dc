import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import type { ReactElement } from 'react';
import { INSTRUMENTS, scoreInstrument, type InstrumentAnswer } from '../../../../shared/domain/instruments';
import {
  LESION_BORDERS,
  LESION_COLORS,
  LESION_MORPHOLOGIES,
  ROS_SYSTEM_LABELS,
  type ExamValue,
  type Field,
  type FieldOfKind,
  type FieldValue,
  type InstrumentValue,
  type LesionValue,
  type RosValue,
} from '../../../../shared/domain/templates';

export interface FieldProps<F extends Field> {
  field: F;
  value: FieldValue | undefined;
  onChange: (v: FieldValue | undefined) => void;
  error?: string;
  readOnly?: boolean;
}

const opts = (xs: readonly string[]): { value: string; label: string }[] => xs.map((x) => ({ value: x, label: x.replace(/-/g, ' ') }));

function RosField({ field, value, onChange, readOnly }: FieldProps<FieldOfKind<'ros'>>): ReactElement {
  const v: RosValue = (value as RosValue | undefined) ?? { allOthersNegative: false, systems: {} };
  const set = (next: RosValue): void => onChange(next);
  return (
    <Card withBorder padding="sm" data-testid={`field-${field.id}`}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{field.label}</Text>
        <Switch
          label="All others negative"
          checked={v.allOthersNegative}
          disabled={readOnly}
          onChange={(e) => set({ ...v, allOthersNegative: e.currentTarget.checked })}
        />
      </Group>
      <Table verticalSpacing={4}>
        <Table.Tbody>
          {field.systems.map((sys) => {
            const entry = v.systems[sys] ?? { status: 'not_reviewed' as const };
            return (
              <Table.Tr key={sys} data-testid={`ros-${sys}`}>
                <Table.Td w={200}>{ROS_SYSTEM_LABELS[sys]}</Table.Td>
                <Table.Td w={330}>
                  <SegmentedControl
                    size="xs"
                    disabled={readOnly}
                    value={entry.status}
                    onChange={(s) => set({ ...v, systems: { ...v.systems, [sys]: { ...entry, status: s } } })}
                    data={[
                      { value: 'not_reviewed', label: v.allOthersNegative ? 'Negative (implied)' : 'Not reviewed' },
                      { value: 'negative', label: 'Negative' },
                      { value: 'positive', label: 'Positive' },
                    ]}
                  />
                </Table.Td>
                <Table.Td>
                  {entry.status === 'positive' && (
                    <TextInput
                      size="xs"
                      placeholder="Findings"
                      aria-label={`${ROS_SYSTEM_LABELS[sys]} findings`}
                      value={entry.text ?? ''}
                      readOnly={readOnly}
                      onChange={(e) => set({ ...v, systems: { ...v.systems, [sys]: { ...entry, text: e.currentTarget.value } } })}
                    />
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function ExamField({ field, value, onChange, readOnly }: FieldProps<FieldOfKind<'exam'>>): ReactElement {
  const v: ExamValue = (value as ExamValue | undefined) ?? { systems: {} };
  return (
    <Card withBorder padding="sm" data-testid={`field-${field.id}`}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{field.label}</Text>
        <Button
          size="xs"
          variant="light"
          disabled={readOnly}
          onClick={() =>
            onChange({
              systems: Object.fromEntries(
                field.systems.map((s) => [s.id, v.systems[s.id]?.status === 'abnormal' ? v.systems[s.id]! : { status: 'normal' as const }]),
              ),
            })
          }
        >
          Mark the rest normal
        </Button>
      </Group>
      <Table verticalSpacing={4}>
        <Table.Tbody>
          {field.systems.map((sys) => {
            const entry = v.systems[sys.id] ?? { status: 'not_examined' as const };
            return (
              <Table.Tr key={sys.id}>
                <Table.Td w={200}>{sys.label}</Table.Td>
                <Table.Td w={300}>
                  <SegmentedControl
                    size="xs"
                    disabled={readOnly}
                    value={entry.status}
                    onChange={(s) => onChange({ systems: { ...v.systems, [sys.id]: { ...entry, status: s } } })}
                    data={[
                      { value: 'not_examined', label: 'Not examined' },
                      { value: 'normal', label: 'Normal' },
                      { value: 'abnormal', label: 'Abnormal' },
                    ]}
                  />
                </Table.Td>
                <Table.Td>
                  {entry.status !== 'not_examined' && (
                    <TextInput
                      size="xs"
                      placeholder={entry.status === 'abnormal' ? 'Findings' : 'Details (optional)'}
                      value={entry.text ?? ''}
                      readOnly={readOnly}
                      onChange={(e) => onChange({ systems: { ...v.systems, [sys.id]: { ...entry, text: e.currentTarget.value } } })}
                    />
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function InstrumentField({ field, value, onChange, readOnly }: FieldProps<FieldOfKind<'instrument'>>): ReactElement {
  const def = INSTRUMENTS[field.instrument];
  const v: InstrumentValue = (value as InstrumentValue | undefined) ?? { answers: def.items.map(() => null) };
  const score = scoreInstrument(field.instrument, v.answers);
  return (
    <Card withBorder padding="sm" data-testid={`field-${field.id}`}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{field.label}</Text>
        <Badge size="lg" color={score.complete ? (score.score! >= 10 ? 'orange' : 'teal') : 'gray'} data-testid={`score-${field.id}`}>
          {score.complete
            ? `${def.shortName} ${score.score} · ${score.severity}`
            : `${v.answers.filter((a) => a !== null).length}/${def.items.length} answered`}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {def.stem}
      </Text>
      <Stack gap={4}>
        {def.items.map((item, i) => (
          <Group key={i} justify="space-between" wrap="nowrap">
            <Text size="sm">
              {i + 1}. {item}
            </Text>
            <SegmentedControl
              size="xs"
              disabled={readOnly}
              value={v.answers[i] === null || v.answers[i] === undefined ? '' : String(v.answers[i])}
              aria-label={`${field.instrument} item ${i + 1}`}
              onChange={(a) => {
                const answers = [...v.answers];
                answers[i] = Number(a) as InstrumentAnswer;
                onChange({ ...v, answers });
              }}
              data={[0, 1, 2, 3].map((n) => ({ value: String(n), label: String(n) }))}
            />
          </Group>
        ))}
      </Stack>
      {score.flags.map((f) => (
        <Text key={f} c="red" fw={700} mt="xs">
          {f}
        </Text>
      ))}
    </Card>
  );
}

function LesionField({ field, value, onChange, readOnly }: FieldProps<FieldOfKind<'lesion'>>): ReactElement {
  const list = (value as LesionValue[] | undefined) ?? [];
  const set = (i: number, patch: Partial<LesionValue>): void => onChange(list.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const num = (x: string | number): number | undefined => (typeof x === 'number' ? x : undefined);
  return (
    <Card withBorder padding="sm" data-testid={`field-${field.id}`}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{field.label}</Text>
        <Button size="xs" variant="light" disabled={readOnly} onClick={() => onChange([...list, {}])}>
          Add lesion
        </Button>
      </Group>
      <Stack>
        {list.map((l, i) => (
          <Group key={i} align="flex-end" gap="xs">
            <Select
              label="Body site"
              data={field.bodySites}
              value={l.bodySite ?? null}
              searchable
              disabled={readOnly}
              onChange={(x) => set(i, { bodySite: x ?? undefined })}
              w={180}
            />
            <NumberInput label="Length (mm)" value={l.lengthMm ?? ''} min={0.1} disabled={readOnly} onChange={(x) => set(i, { lengthMm: num(x) })} w={110} />
            <NumberInput label="Width (mm)" value={l.widthMm ?? ''} min={0.1} disabled={readOnly} onChange={(x) => set(i, { widthMm: num(x) })} w={110} />
            <Select
              label="Morphology"
              data={opts(LESION_MORPHOLOGIES)}
              value={l.morphology ?? null}
              disabled={readOnly}
              onChange={(x) => set(i, { morphology: (x ?? undefined) as LesionValue['morphology'] })}
              w={140}
            />
            <Select
              label="Color"
              data={opts(LESION_COLORS)}
              value={l.color ?? null}
              disabled={readOnly}
              onChange={(x) => set(i, { color: (x ?? undefined) as LesionValue['color'] })}
              w={130}
            />
            <Select
              label="Border"
              data={opts(LESION_BORDERS)}
              value={l.border ?? null}
              disabled={readOnly}
              onChange={(x) => set(i, { border: (x ?? undefined) as LesionValue['border'] })}
              w={130}
            />
            <TextInput
              label="Description"
              value={l.description ?? ''}
              readOnly={readOnly}
              onChange={(e) => set(i, { description: e.currentTarget.value })}
              style={{ flex: 1 }}
            />
            <ActionIcon variant="subtle" color="red" aria-label="Remove lesion" disabled={readOnly} onClick={() => onChange(list.filter((_, j) => j !== i))}>
              ✕
            </ActionIcon>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

/** One template field as a form control; the kinds come from the template schema, so a new template needs no code. */
export function TemplateField(props: FieldProps<Field>): ReactElement {
  const { field: f, value, onChange, error, readOnly } = props;
  const str = typeof value === 'string' ? value : '';
  switch (f.kind) {
    case 'text':
      return (
        <TextInput
          label={f.label}
          required={f.required}
          placeholder={f.placeholder}
          value={str}
          error={error}
          readOnly={readOnly}
          onChange={(e) => onChange(e.currentTarget.value || undefined)}
        />
      );
    case 'textarea':
      return (
        <Textarea
          label={f.label}
          required={f.required}
          placeholder={f.placeholder}
          autosize
          minRows={2}
          value={str}
          error={error}
          readOnly={readOnly}
          onChange={(e) => onChange(e.currentTarget.value || undefined)}
        />
      );
    case 'number':
      return (
        <NumberInput
          label={`${f.label}${f.unit ? ` (${f.unit})` : ''}`}
          required={f.required}
          min={f.min}
          max={f.max}
          step={f.step}
          value={typeof value === 'number' ? value : ''}
          error={error}
          readOnly={readOnly}
          onChange={(x) => onChange(typeof x === 'number' ? x : undefined)}
        />
      );
    case 'select':
      return (
        <Select
          label={f.label}
          required={f.required}
          data={f.options}
          value={str || null}
          error={error}
          disabled={readOnly}
          onChange={(x) => onChange(x ?? undefined)}
        />
      );
    case 'multiselect':
      return (
        <MultiSelect
          label={f.label}
          required={f.required}
          data={f.options}
          value={Array.isArray(value) ? (value as string[]) : []}
          error={error}
          disabled={readOnly}
          onChange={(x) => onChange(x.length ? x : undefined)}
        />
      );
    case 'checkbox':
      return <Checkbox label={f.label} checked={value === true} disabled={readOnly} onChange={(e) => onChange(e.currentTarget.checked || undefined)} />;
    case 'date':
      return (
        <TextInput
          label={f.label}
          required={f.required}
          placeholder="YYYY-MM-DD"
          value={str}
          error={error}
          readOnly={readOnly}
          onChange={(e) => onChange(e.currentTarget.value || undefined)}
        />
      );
    case 'ros':
      return <RosField {...props} field={f} />;
    case 'exam':
      return <ExamField {...props} field={f} />;
    case 'instrument':
      return <InstrumentField {...props} field={f} />;
    case 'lesion':
      return <LesionField {...props} field={f} />;
  }
}
