import type { Role } from '../domain/user';
import type { Access } from './channel';
import { CHANNELS, type Channel } from './channels';
import { contract } from './contract';

/**
 * Who may call each channel (the `roles` of its contract entry), enforced by the dispatcher before
 * anything else runs; the renderer only hides what a role cannot use.
 */
export const PERMISSIONS: { readonly [C in Channel]: Access } = Object.fromEntries(CHANNELS.map((c) => [c, contract[c].roles])) as {
  readonly [C in Channel]: Access;
};

/** True when `role` may call `channel` (public channels: anyone). */
export function mayCall(role: Role | null, channel: Channel): boolean {
  const allowed = PERMISSIONS[channel];
  return allowed === 'public' || (role !== null && allowed.includes(role));
}

/** The same rule under the short name the renderer uses to decide what to show: `can(role, 'encounters.create')`. */
export const can = mayCall;
