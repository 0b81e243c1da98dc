import type { ShellLog, ShellPowerMonitor } from './electron-surface';

/**
 * Signs the user out when the OS locks the screen or goes to sleep, so a chart is never left open
 * behind a lock screen or on a laptop carried away asleep. The database stays unlocked, so the next
 * person signs in with their own password (the clinic passphrase is not asked again).
 */
export function signOutWhenAway(powerMonitor: ShellPowerMonitor, signOut: (why: 'lock-screen' | 'suspend') => void, log: ShellLog): void {
  const away = (why: 'lock-screen' | 'suspend'): void => {
    log.info({ event: 'session.os_sign_out', why }, `signed out: the system ${why === 'suspend' ? 'went to sleep' : 'locked the screen'}`);
    signOut(why);
  };
  powerMonitor.on('lock-screen', () => away('lock-screen'));
  powerMonitor.on('suspend', () => away('suspend'));
}
