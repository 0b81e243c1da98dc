import { Center, Loader } from '@mantine/core';
import { useEffect, type ReactElement, type ReactNode } from 'react';
import { useSession } from '../../stores/session.store';
import { LoginScreen } from './LoginScreen';
import { SetupScreen } from './SetupScreen';
import { UnlockScreen } from './UnlockScreen';

/** Shows setup, unlock or sign-in until someone is signed in, then the app. */
export function SessionGate({ children }: { children: ReactNode }): ReactElement {
  const state = useSession((s) => s.session?.state);
  const refresh = useSession((s) => s.refresh);
  useEffect(() => {
    void refresh();
  }, [refresh]);
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
