import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactElement } from 'react';
import { portalApi } from '../../api/portal-api';
import { ErrorNote } from '../../components/ErrorNote';
import { PasswordField } from '../../components/PasswordField';
import { Note } from '../../components/Note';
import { ScreenTitle } from '../../components/ScreenTitle';
import { useI18n } from '../../i18n/use-i18n';
import { href } from '../../router';
import { usePortal } from '../../state/portal.store';
import { useTotpCode } from './use-totp-code';

/** Email and password; then, for an account with two-step sign-in, the authenticator's code. */
export function SignInScreen(): ReactElement {
  const { t } = useI18n();
  const notice = usePortal((s) => s.notice);
  const signedIn = usePortal((s) => s.signedIn);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [totp, setTotp] = useState(() => usePortal.getState().totpPending);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const found = {
      ...(email.trim() === '' && { email: t('signin.emailMissing') }),
      ...(password === '' && { password: t('signin.passwordMissing') }),
    };
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      const answer = await portalApi.signIn(email.trim(), password);
      if (answer.needsTotp) setTotp(true);
      else signedIn(answer.session);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  if (totp) return <TotpStep onBack={() => setTotp(false)} />;
  return (
    <>
      <ScreenTitle>{t('signin.title')}</ScreenTitle>
      <Text mb="md">{t('signin.intro')}</Text>
      {notice && <Note kind="status">{t(notice)}</Note>}
      {failure !== null && <ErrorNote error={failure} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <TextInput
            label={t('signin.email')}
            type="email"
            autoComplete="username"
            inputMode="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={errors.email}
          />
          <PasswordField
            label={t('signin.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.password}
          />
          <Button type="submit" loading={busy} size="md">
            {t('signin.submit')}
          </Button>
        </Stack>
      </form>
      <Text mt="xl">{t('signin.noAccount')}</Text>
      <Anchor href={href({ name: 'register' })} fw={600}>
        {t('signin.register')}
      </Anchor>
    </>
  );
}

function TotpStep({ onBack }: { onBack: () => void }): ReactElement {
  const { t } = useI18n();
  const { code, setCode, error, failure, busy, submit } = useTotpCode(portalApi.signInTotp);
  return (
    <>
      <ScreenTitle>{t('totp.title')}</ScreenTitle>
      <Text mb="md">{t('totp.intro')}</Text>
      {failure !== null && <ErrorNote error={failure} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <TextInput
            label={t('totp.code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            error={error}
          />
          <Button type="submit" loading={busy} size="md">
            {t('totp.submit')}
          </Button>
          <Button variant="subtle" onClick={onBack}>
            {t('totp.back')}
          </Button>
        </Stack>
      </form>
    </>
  );
}
