/**
 * The channel names alone, with no schema library, so the preload script can build
 * `window.cairn` without bundling zod. `contract.ts` checks that both lists agree.
 */
export const CHANNELS = [
  'session.status',
  'session.setup',
  'session.unlock',
  'session.login',
  'session.logout',
  'session.lock',
  'patients.create',
  'patients.update',
  'patients.get',
  'patients.search',
  'patients.chartHeader',
] as const;

export type Channel = (typeof CHANNELS)[number];

/** IPC prefix so Cairn's channels never collide with Electron's own. */
export const IPC_PREFIX = 'cairn:';
