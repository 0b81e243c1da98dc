import { contract, type Channel } from './contract';

export type { Channel } from './contract';

/** Every channel name, in the registry's order (the preload builds `window.cairn` from these). */
export const CHANNELS = Object.keys(contract) as readonly Channel[];

/** IPC prefix so Cairn's channels never collide with Electron's own. */
export const IPC_PREFIX = 'cairn:';
