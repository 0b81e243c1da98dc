import { Anchor, Button, Code, CopyButton, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactElement } from 'react';
import type { TotpSetup } from '../../../../../shared/api/portal-http';
import { portalApi } from '../../api/portal-api';
import { ErrorNote } from '../../components/ErrorNote';
import { Note } from '../../components/Note';
import { ScreenTitle } from '../../components/ScreenTitle';
import { Section } from '../../components/Section';
import { isSignedOut } from '../../i18n/errors';
import { LANGUAGES } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { usePortal } from '../../state/portal.store';
import { useTotpCode } from '../auth/use-totp-code';
import { TotpQr } from './TotpQr';

/** Name and email, language, two-step sign-in, a child's chart, and signing out here or everywhere. */
export function AccountScreen(): ReactElement {
  const { t, language } = useI18n();
  const session = usePortal((s) => s.session);
  const setLanguage = usePortal((s) => s.setLanguage);
  const signedOut = usePortal((s) => s.signedOut);
  const [failure, setFailure] = useState<unknown>(null);
  if (!session) return <></>;
  const out = (everywhere: boolean): void => {
    setFailure(null);
    (everywhere ? portalApi.signOutEverywhere() : portalApi.signOut()).then(
      () => signedOut('signin.signedOut'),
      (e: unknown) => (isSignedOut(e) ? signedOut('signin.signedOut') : setFailure(e)),
    );
  };
  return (
    <>
      <ScreenTitle>{t('account.title')}</ScreenTitle>
      <Section title={t('account.details')}>
        <Text>
          <strong>{t('account.name')}:</strong> {session.account.displayName}
        </Text>
        <Text>
          <strong>{t('account.email')}:</strong> {session.account.email}
        </Text>
      </Section>
      <Section title={t('account.language')}>
        <Radio.Group label={t('account.language')} description={t('account.languageHint')} value={language} onChange={(l) => void setLanguage(l)}>
          <Group mt={4}>
            {LANGUAGES.map((l) => (
              <Radio key={l} value={l} label={t(`lang.${l}`)} lang={l} />
            ))}
          </Group>
        </Radio.Group>
      </Section>
      <Section title={t('account.totp')} testId="totp">
        {session.account.totp ? <Text>{t('account.totpOn')}</Text> : <TotpSetupFlow />}
      </Section>
      <Section title={t('account.link')}>
        <LinkChart />
      </Section>
      <Section title={t('account.signOut')}>
        {failure !== null && <ErrorNote error={failure} />}
        <Text size="sm" mb="xs">
          {t('account.signOutEverywhereHint')}
        </Text>
        <Group>
          <Button variant="default" onClick={() => out(false)}>
            {t('account.signOutHere')}
          </Button>
          <Button color="red" variant="light" onClick={() => out(true)}>
            {t('account.signOutEverywhere')}
          </Button>
        </Group>
      </Section>
    </>
  );
}

function TotpSetupFlow(): ReactElement {
  const { t } = useI18n();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const { code, setCode, error, failure, setFailure, busy, setBusy, submit: confirm } = useTotpCode(portalApi.totpConfirm);
  const start = async (): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      setSetup(await portalApi.totpSetup());
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Text mb="sm">{t('account.totpOff')}</Text>
      {failure !== null && <ErrorNote error={failure} />}
      {setup === null ? (
        <Button loading={busy} onClick={() => void start()}>
          {t('account.totpStart')}
        </Button>
      ) : (
        <Stack>
          <Text>{t('account.totpSecretIntro')}</Text>
          <TotpQr url={setup.otpauthUrl} />
          <div>
            <Text size="sm" fw={600} id="totp-secret-label">
              {t('account.totpSecret')}
            </Text>
            <Code block data-testid="totp-secret" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
              {setup.secret}
            </Code>
            <CopyButton value={setup.secret}>
              {({ copied, copy }) => (
                <Button variant="subtle" size="compact-sm" mt={4} onClick={copy}>
                  {copied ? t('account.totpCopied') : t('account.totpCopy')}
                </Button>
              )}
            </CopyButton>
          </div>
          <Anchor href={setup.otpauthUrl} data-testid="totp-link" style={{ overflowWrap: 'anywhere' }}>
            {t('account.totpLink')}
          </Anchor>
          <Code block data-testid="totp-url" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
            {setup.otpauthUrl}
          </Code>
          <form onSubmit={(e) => void confirm(e)} noValidate>
            <Stack>
              <Text>{t('account.totpConfirmIntro')}</Text>
              <TextInput
                label={t('totp.code')}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                error={error}
              />
              <Button type="submit" loading={busy}>
                {t('account.totpConfirm')}
              </Button>
            </Stack>
          </form>
        </Stack>
      )}
    </>
  );
}

function LinkChart(): ReactElement {
  const { t } = useI18n();
  const signedIn = usePortal((s) => s.signedIn);
  const [code, setCode] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [errors, setErrors] = useState<{ code?: string | undefined; birthDate?: string | undefined }>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const found = {
      code: code.trim().length < 8 ? t('register.codeMissing') : undefined,
      birthDate: !/^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? t('register.birthDateMissing') : undefined,
    };
    setErrors(found);
    setDone(false);
    if (found.code || found.birthDate) return;
    setBusy(true);
    setFailure(null);
    try {
      signedIn(await portalApi.linkChart({ code: code.trim(), birthDate }));
      setDone(true);
      setCode('');
      setBirthDate('');
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Text mb="sm">{t('account.linkIntro')}</Text>
      {done && <Note kind="status">{t('account.linked')}</Note>}
      {failure !== null && <ErrorNote error={failure} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack maw={420}>
          <TextInput label={t('account.linkCode')} autoComplete="off" value={code} onChange={(e) => setCode(e.currentTarget.value)} error={errors.code} />
          <TextInput
            label={t('account.linkBirthDate')}
            type="date"
            value={birthDate}
            onChange={(e) => setBirthDate(e.currentTarget.value)}
            error={errors.birthDate}
          />
          <Button type="submit" variant="light" loading={busy}>
            {t('account.linkSubmit')}
          </Button>
        </Stack>
      </form>
    </>
  );
}
