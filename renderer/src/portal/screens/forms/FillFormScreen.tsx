import { Anchor, Button, Stack, Text } from '@mantine/core';
import { useState, type FormEvent, type ReactElement } from 'react';
import type { FormView } from '../../../../../shared/api/portal-http';
import { portalApi } from '../../api/portal-api';
import { ErrorNote } from '../../components/ErrorNote';
import { Loaded } from '../../components/Loaded';
import { Note } from '../../components/Note';
import { ScreenTitle } from '../../components/ScreenTitle';
import { useLoad } from '../../components/use-load';
import { useI18n } from '../../i18n/use-i18n';
import { href } from '../../router';
import { checkValues, emptyValues, toAnswers, type FieldValue, type Problems, type Values } from './form-answers';
import { QuestionField } from './QuestionField';

/** An intake form from its definition; sent as patient-reported items that staff review at the visit. */
export function FillFormScreen({ patientId, formId, appointmentId }: { patientId: string; formId: string; appointmentId: string | null }): ReactElement {
  const form = useLoad(`form:${formId}`, () => portalApi.form(formId));
  return <Loaded load={form}>{(f) => <FormBody key={f.id} form={f} patientId={patientId} appointmentId={appointmentId} />}</Loaded>;
}

function FormBody({ form, patientId, appointmentId }: { form: FormView; patientId: string; appointmentId: string | null }): ReactElement {
  const { t, language } = useI18n();
  const [values, setValues] = useState<Values>(() => emptyValues(form));
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const found = checkValues(form, values);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      await portalApi.submitForm(patientId, form.id, { appointmentId, answers: toAnswers(form, values) });
      setDone(true);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  if (done)
    return (
      <>
        <ScreenTitle>{t('forms.doneTitle')}</ScreenTitle>
        <Note kind="status" data-testid="form-done">
          {t('forms.done')}
        </Note>
        <Anchor href={href({ name: 'forms' })} fw={600}>
          {t('forms.back')}
        </Anchor>
      </>
    );
  const invalid = Object.keys(problems).length > 0;
  return (
    <>
      <ScreenTitle>{form.title[language]}</ScreenTitle>
      {form.description && <Text mb="sm">{form.description[language]}</Text>}
      <Text size="sm" mb="md">
        {t('forms.requiredNote')}
      </Text>
      {invalid && (
        <Text c="red.8" role="alert" mb="sm" fw={600}>
          {t('forms.fixBelow')}
        </Text>
      )}
      {failure !== null && <ErrorNote error={failure} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="lg">
          {form.questions.map((q) => (
            <QuestionField key={q.id} q={q} value={values[q.id]!} onChange={(v: FieldValue) => setValues((o) => ({ ...o, [q.id]: v }))} problems={problems} />
          ))}
          <Button type="submit" loading={busy} size="md">
            {t('forms.submit')}
          </Button>
        </Stack>
      </form>
    </>
  );
}
