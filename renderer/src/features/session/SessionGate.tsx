import { Center, Loader } from '@mantine/core';
import { useEffect, type ReactElement, type ReactNode } from 'react';
import { useSession } from '../../stores/session.store';
import { LoginScreen } from './LoginScreen';
import { SetupScreen } from './SetupScreen';
import { UnlockScreen } from './UnlockScreen';

const STATUS_POLL_MS = 10_000;

/** Shows setup, unlock or sign-in until someone is signed in, then the app. */
export function SessionGate({ children }: { children: ReactNode }): ReactElement {
  const state = useSession((s) => s.session?.state);
  const refresh = useSession((s) => s.refresh);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  // The backend signs an idle user out; polling the status brings the sign-in screen up on its own
  // instead of leaving a chart on an unattended screen.
  useEffect(() => {
    if (state !== 'signedIn') return;
    const timer = setInterval(() => void refresh(), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [state, refresh]);
  switch (state) {
    case undefined:
      return (
        <Center h="100vh">
          <Loader />
        </Center>
      );
    case 'uninitialized':
      return <SetupScreen />;
    case 'locked':
      return <UnlockScreen />;
    case 'unlocked':
      return <LoginScreen />;
    case 'signedIn':
      return <>{children}</>;
  }
}
