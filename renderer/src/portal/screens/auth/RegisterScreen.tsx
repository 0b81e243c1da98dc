import { Anchor, Button, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactElement } from 'react';
import { registerInput } from '../../../../../shared/api/portal-http';
import { portalApi } from '../../api/portal-api';
import { ErrorNote } from '../../components/ErrorNote';
import { PasswordField } from '../../components/PasswordField';
import { ScreenTitle } from '../../components/ScreenTitle';
import { LANGUAGES } from '../../i18n/i18n';
import { passwordAdvice } from '../../i18n/password';
import { useI18n } from '../../i18n/use-i18n';
import { href } from '../../router';
import { usePortal } from '../../state/portal.store';

type Field = 'code' | 'birthDate' | 'displayName' | 'email' | 'password' | 'password2';

/** Registration with the invitation letter's code and the patient's birth date; the password policy is said before it refuses. */
export function RegisterScreen(): ReactElement {
  const { t, language } = useI18n();
  const clinicName = usePortal((s) => s.clinic.name);
  const signedIn = usePortal((s) => s.signedIn);
  const setLanguage = usePortal((s) => s.setLanguage);
  const [v, setV] = useState({ code: '', birthDate: '', displayName: '', email: '', password: '', password2: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: Field) => ({
    value: v[name],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setV((o) => ({ ...o, [name]: value }));
    },
    error: errors[name],
  });
  const policyContext = { username: v.email, displayName: v.displayName, clinicName: clinicName || undefined };
  const live = v.password === '' ? null : passwordAdvice(v.password, policyContext, t);

  const check = (): Partial<Record<Field, string>> => {
    const parsed = registerInput.safeParse({ ...v, language });
    const bad = new Set(parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0])));
    const weak = passwordAdvice(v.password, policyContext, t);
    return {
      ...(bad.has('code') && { code: t('register.codeMissing') }),
      ...(bad.has('birthDate') && { birthDate: t('register.birthDateMissing') }),
      ...(bad.has('displayName') && { displayName: t('register.nameMissing') }),
      ...(bad.has('email') && { email: t('register.emailInvalid') }),
      ...(weak !== null && { password: weak }),
      ...(v.password2 !== v.password && { password2: t('register.passwordMismatch') }),
    };
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      signedIn(
        await portalApi.register({ code: v.code, birthDate: v.birthDate, email: v.email.trim(), displayName: v.displayName, password: v.password, language }),
      );
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ScreenTitle>{t('register.title')}</ScreenTitle>
      <Text mb="md">{t('register.intro')}</Text>
      {failure !== null && <ErrorNote error={failure} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <TextInput
            label={t('register.code')}
            description={t('register.codeHint')}
            autoComplete="off"
            autoCapitalize="characters"
            required
            {...field('code')}
          />
          <TextInput label={t('register.birthDate')} description={t('register.birthDateHint')} type="date" required {...field('birthDate')} />
          <TextInput label={t('register.name')} autoComplete="name" required {...field('displayName')} />
          <TextInput
            label={t('register.email')}
            description={t('register.emailHint')}
            type="email"
            inputMode="email"
            autoComplete="email"
            required
            {...field('email')}
          />
          <PasswordField label={t('register.password')} description={t('register.passwordHint')} autoComplete="new-password" required {...field('password')} />
          {v.password !== '' && errors.password === undefined && (
            <Text size="sm" aria-live="polite" c={live ? 'orange.9' : 'teal.9'} data-testid="password-advice">
              {live ?? t('password.ok')}
            </Text>
          )}
          <PasswordField label={t('register.password2')} autoComplete="new-password" required {...field('password2')} />
          <Radio.Group label={t('register.language')} value={language} onChange={(l) => void setLanguage(l)}>
            <Group mt={4}>
              {LANGUAGES.map((l) => (
                <Radio key={l} value={l} label={t(`lang.${l}`)} lang={l} />
              ))}
            </Group>
          </Radio.Group>
          <Button type="submit" loading={busy} size="md">
            {t('register.submit')}
          </Button>
        </Stack>
      </form>
      <Text mt="xl">{t('register.haveAccount')}</Text>
      <Anchor href={href({ name: 'signin' })} fw={600}>
        {t('register.signIn')}
      </Anchor>
    </>
  );
}
