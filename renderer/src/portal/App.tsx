import { Box, Container, Group, Text } from '@mantine/core';
import { useEffect, type ReactElement, type ReactNode } from 'react';
import { LanguageSwitch } from './components/LanguageSwitch';
import { Loading } from './components/Loading';
import { MAIN_ID, SkipLink } from './components/SkipLink';
import { useI18n } from './i18n/use-i18n';
import { useRoute } from './router';
import { RegisterScreen } from './screens/auth/RegisterScreen';
import { SignInScreen } from './screens/auth/SignInScreen';
import { Shell } from './Shell';
import { usePortal } from './state/portal.store';

/** Header and main for the screens before sign-in: the clinic's name and the language switch. */
export function PlainLayout({ children }: { children: ReactNode }): ReactElement {
  const clinic = usePortal((s) => s.clinic.name);
  const { t } = useI18n();
  return (
    <>
      <SkipLink />
      <Box component="header" px="md" py="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group justify="space-between" wrap="nowrap" maw={960} mx="auto">
          <Text fw={700} truncate>
            {clinic || t('app.title')}
          </Text>
          <LanguageSwitch />
        </Group>
      </Box>
      <Container component="main" id={MAIN_ID} size={520} px="md" py="lg">
        {children}
      </Container>
    </>
  );
}

function SignedOut(): ReactElement {
  const route = useRoute();
  return <PlainLayout>{route.name === 'register' ? <RegisterScreen /> : <SignInScreen />}</PlainLayout>;
}

/** The portal: sign-in and registration, then the patient's screens. The page's language follows the switch. */
export function App(): ReactElement {
  const phase = usePortal((s) => s.phase);
  const clinic = usePortal((s) => s.clinic.name);
  const start = usePortal((s) => s.start);
  const { t, language } = useI18n();
  useEffect(() => void start(), [start]);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = clinic ? `${t('app.title')} · ${clinic}` : t('app.title');
  }, [language, clinic, t]);
  if (phase === 'loading')
    return (
      <PlainLayout>
        <Loading />
      </PlainLayout>
    );
  return phase === 'signedIn' ? <Shell /> : <SignedOut />;
}
