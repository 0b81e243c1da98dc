import { Alert, Button, Checkbox, Fieldset, Group, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { ReactElement } from 'react';
import type { FormQuestion, PortalLanguage } from '../../../../../shared/domain/portal';
import { isKey, type MessageKey, type Translate } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import {
  EMPTY_ALLERGY,
  EMPTY_MEDICATION,
  type Address,
  type Allergy,
  type FieldValue,
  type Insurance,
  type ListValue,
  type Medication,
  type Problems,
} from './form-answers';

interface Props {
  q: FormQuestion;
  value: FieldValue;
  onChange: (v: FieldValue) => void;
  problems: Problems;
}

const label = (q: FormQuestion, l: PortalLanguage): string => q.label[l];
const problem = (problems: Problems, path: string, t: Translate): string | undefined => (problems[path] ? t(problems[path]) : undefined);

/** One question of an intake form, drawn by its type; every field is labelled in the patient's language. */
export function QuestionField({ q, value, onChange, problems }: Props): ReactElement {
  const { t, language } = useI18n();
  const text = {
    label: label(q, language),
    required: q.required,
    value: value as string,
    onChange: (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value),
    error: problem(problems, q.id, t),
  };
  switch (q.type) {
    case 'text':
      return <TextInput {...text} maxLength={500} />;
    case 'longtext':
      return <Textarea {...text} autosize minRows={3} maxLength={4000} />;
    case 'date':
      return <TextInput {...text} type="date" />;
    case 'phone':
      return <TextInput {...text} type="tel" inputMode="tel" autoComplete="tel" />;
    case 'email':
      return <TextInput {...text} type="email" inputMode="email" autoComplete="email" />;
    case 'yesno':
      return (
        <Radio.Group label={text.label} required={q.required} value={text.value} onChange={onChange} error={text.error}>
          <Group mt={4}>
            <Radio value="yes" label={t('common.yes')} />
            <Radio value="no" label={t('common.no')} />
          </Group>
        </Radio.Group>
      );
    case 'choice':
      return (
        <Radio.Group label={text.label} required={q.required} value={text.value} onChange={onChange} error={text.error}>
          <Stack gap={6} mt={4}>
            {(q.choices ?? []).map((c) => (
              <Radio key={c.value} value={c.value} label={c.label[language]} />
            ))}
          </Stack>
        </Radio.Group>
      );
    case 'address':
      return <AddressField q={q} value={value as Address} onChange={onChange} problems={problems} />;
    case 'insurance':
      return <InsuranceField q={q} value={value as Insurance} onChange={onChange} problems={problems} />;
    case 'medications':
      return <MedicationsField q={q} value={value as ListValue<Medication>} onChange={onChange} problems={problems} />;
    case 'allergies':
      return <AllergiesField q={q} value={value as ListValue<Allergy>} onChange={onChange} problems={problems} />;
    case 'instrument':
      return <InstrumentField q={q} value={value as (number | null)[]} onChange={onChange} problems={problems} />;
  }
}

/** A fieldset's legend, marked required like Mantine marks a label. */
function Legend({ q }: { q: FormQuestion }): ReactElement {
  const { language } = useI18n();
  return (
    <>
      {label(q, language)}
      {q.required && (
        <Text span c="red.8" aria-hidden>
          {' *'}
        </Text>
      )}
    </>
  );
}

function AddressField({ q, value, onChange, problems }: { q: FormQuestion; value: Address; onChange: (v: Address) => void; problems: Problems }): ReactElement {
  const { t } = useI18n();
  const part = (
    k: keyof Address,
    key: 'form.address.line1' | 'form.address.line2' | 'form.address.city' | 'form.address.state' | 'form.address.postalCode',
    auto: string,
  ) => (
    <TextInput
      label={t(key)}
      autoComplete={auto}
      value={value[k]}
      onChange={(e) => onChange({ ...value, [k]: e.currentTarget.value })}
      error={problem(problems, `${q.id}.${k}`, t)}
      maxLength={200}
    />
  );
  return (
    <Fieldset legend={<Legend q={q} />}>
      <Stack gap="xs">
        {part('line1', 'form.address.line1', 'address-line1')}
        {part('line2', 'form.address.line2', 'address-line2')}
        {part('city', 'form.address.city', 'address-level2')}
        <Group grow>
          {part('state', 'form.address.state', 'address-level1')}
          {part('postalCode', 'form.address.postalCode', 'postal-code')}
        </Group>
      </Stack>
    </Fieldset>
  );
}

function InsuranceField({
  q,
  value,
  onChange,
  problems,
}: {
  q: FormQuestion;
  value: Insurance;
  onChange: (v: Insurance) => void;
  problems: Problems;
}): ReactElement {
  const { t } = useI18n();
  const part = (k: keyof Insurance, key: 'form.ins.payerName' | 'form.ins.memberId' | 'form.ins.groupNumber' | 'form.ins.subscriberName') => (
    <TextInput
      label={t(key)}
      value={value[k]}
      onChange={(e) => onChange({ ...value, [k]: e.currentTarget.value })}
      error={problem(problems, `${q.id}.${k}`, t)}
      maxLength={200}
    />
  );
  return (
    <Fieldset legend={<Legend q={q} />}>
      <Stack gap="xs">
        {part('payerName', 'form.ins.payerName')}
        {part('memberId', 'form.ins.memberId')}
        {part('groupNumber', 'form.ins.groupNumber')}
        {part('subscriberName', 'form.ins.subscriberName')}
      </Stack>
    </Fieldset>
  );
}

/** The parts of a list question that differ between medicines and allergies. */
interface ListKind<T> {
  empty: T;
  keys: { item: MessageKey; add: MessageKey; remove: MessageKey; none: MessageKey; hint: MessageKey };
  row: (r: T, set: (patch: Partial<T>) => void, n: number) => ReactElement;
}

/** A list the patient builds row by row, or says is empty ("I take no medicines"): never an empty list by omission. */
function ListField<T>({
  q,
  value,
  onChange,
  problems,
  kind,
}: {
  q: FormQuestion;
  value: ListValue<T>;
  onChange: (v: ListValue<T>) => void;
  problems: Problems;
  kind: ListKind<T>;
}): ReactElement {
  const { t } = useI18n();
  const setRow = (n: number, patch: Partial<T>): void => onChange({ ...value, rows: value.rows.map((x, i) => (i === n ? { ...x, ...patch } : x)) });
  return (
    <Fieldset legend={<Legend q={q} />} data-testid={`question-${q.id}`}>
      {problems[q.id] && (
        <Text c="red.8" size="sm" mb="xs" role="alert">
          {t(problems[q.id]!)}
        </Text>
      )}
      <Checkbox label={t(kind.keys.none)} checked={value.none} onChange={(e) => onChange({ ...value, none: e.currentTarget.checked })} mb="sm" />
      {!value.none && (
        <>
          {value.rows.length === 0 && <Text size="sm">{t(kind.keys.hint)}</Text>}
          <Stack gap="sm">
            {value.rows.map((r, n) => (
              <Fieldset key={n} legend={t(kind.keys.item, { n: n + 1 })} variant="filled">
                <Stack gap="xs">
                  {kind.row(r, (patch) => setRow(n, patch), n)}
                  <Button variant="subtle" color="red" size="compact-sm" onClick={() => onChange({ ...value, rows: value.rows.filter((_, i) => i !== n) })}>
                    {t(kind.keys.remove, { n: n + 1 })}
                  </Button>
                </Stack>
              </Fieldset>
            ))}
          </Stack>
          <Button variant="light" mt="sm" onClick={() => onChange({ ...value, rows: [...value.rows, { ...kind.empty }] })}>
            {t(kind.keys.add)}
          </Button>
        </>
      )}
    </Fieldset>
  );
}

function MedicationsField({
  q,
  value,
  onChange,
  problems,
}: {
  q: FormQuestion;
  value: ListValue<Medication>;
  onChange: (v: ListValue<Medication>) => void;
  problems: Problems;
}): ReactElement {
  const { t } = useI18n();
  const kind: ListKind<Medication> = {
    empty: EMPTY_MEDICATION,
    keys: { item: 'form.meds.item', add: 'form.meds.add', remove: 'form.meds.remove', none: 'form.meds.noneTaken', hint: 'form.meds.none' },
    row: (m, set, n) => (
      <>
        <TextInput
          label={t('form.meds.name')}
          value={m.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          error={problem(problems, `${q.id}.${n}.name`, t)}
          maxLength={200}
        />
        <Group grow>
          <TextInput label={t('form.meds.dose')} value={m.dose} onChange={(e) => set({ dose: e.currentTarget.value })} maxLength={100} />
          <TextInput label={t('form.meds.howOften')} value={m.howOften} onChange={(e) => set({ howOften: e.currentTarget.value })} maxLength={100} />
        </Group>
        <Checkbox label={t('form.meds.stopped')} checked={m.stopped} onChange={(e) => set({ stopped: e.currentTarget.checked })} />
      </>
    ),
  };
  return <ListField q={q} value={value} onChange={onChange} problems={problems} kind={kind} />;
}

function AllergiesField({
  q,
  value,
  onChange,
  problems,
}: {
  q: FormQuestion;
  value: ListValue<Allergy>;
  onChange: (v: ListValue<Allergy>) => void;
  problems: Problems;
}): ReactElement {
  const { t } = useI18n();
  const kind: ListKind<Allergy> = {
    empty: EMPTY_ALLERGY,
    keys: { item: 'form.allergy.item', add: 'form.allergy.add', remove: 'form.allergy.remove', none: 'form.allergy.noneKnown', hint: 'form.allergy.none' },
    row: (a, set, n) => (
      <>
        <TextInput
          label={t('form.allergy.substance')}
          value={a.substance}
          onChange={(e) => set({ substance: e.currentTarget.value })}
          error={problem(problems, `${q.id}.${n}.substance`, t)}
          maxLength={200}
        />
        <TextInput label={t('form.allergy.reaction')} value={a.reaction} onChange={(e) => set({ reaction: e.currentTarget.value })} maxLength={200} />
      </>
    ),
  };
  return <ListField q={q} value={value} onChange={onChange} problems={problems} kind={kind} />;
}

/**
 * PHQ-9 or GAD-7: each item with the four frequency answers (0–3). The form file carries the items
 * and answers in both languages (its label is the instrument's stem); without them, the catalogue's
 * published wording is used.
 */
function InstrumentField({
  q,
  value,
  onChange,
  problems,
}: {
  q: FormQuestion;
  value: (number | null)[];
  onChange: (v: (number | null)[]) => void;
  problems: Problems;
}): ReactElement {
  const { t, language } = useI18n();
  const inst = q.instrument ?? 'phq9';
  const stem = `${inst}.stem`;
  const itemText = (n: number): string => {
    const key = `${inst}.item${n + 1}`;
    return q.items?.[n]?.[language] ?? (isKey(key) ? t(key) : '');
  };
  const optionText = (f: 0 | 1 | 2 | 3): string => q.choices?.find((c) => c.value === String(f))?.label[language] ?? t(`freq.${f}`);
  return (
    <Fieldset legend={<Legend q={q} />} data-testid={`question-${q.id}`}>
      {!q.items && isKey(stem) && (
        <Text fw={600} mb="sm">
          {t(stem)}
        </Text>
      )}
      <Stack gap="md">
        {value.map((answer, n) => (
          <Radio.Group
            key={n}
            label={t('form.instrument.item', { n: n + 1, text: itemText(n) })}
            value={answer === null ? null : String(answer)}
            onChange={(x) => onChange(value.map((old, i) => (i === n ? Number(x) : old)))}
            error={problem(problems, `${q.id}.${n}`, t)}
          >
            <Stack gap={4} mt={4}>
              {([0, 1, 2, 3] as const).map((f) => (
                <Radio key={f} value={String(f)} label={optionText(f)} />
              ))}
            </Stack>
          </Radio.Group>
        ))}
      </Stack>
      {inst === 'phq9' && (value[8] ?? 0) > 0 && (
        <Alert color="red" mt="md" role="alert" data-testid="crisis-note">
          {t('form.instrument.crisis')}
        </Alert>
      )}
    </Fieldset>
  );
}
