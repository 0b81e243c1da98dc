import type { Role } from '../domain/user';
import { z } from 'zod';

import { conflictView, quarantineItem, syncStatus } from '../domain/sync-review';

import { DEMOGRAPHICS_READ, DEMOGRAPHICS_WRITE } from './roles';
import { channel, none } from './channel';

/** Who settles sync conflicts: front desk on demographics and coverage, billing on its own records (the repository decides per record). */
const CONFLICT_SETTLERS: readonly Role[] = [...DEMOGRAPHICS_WRITE, 'billing'];

/** The sync area's channels: each one's input, output, roles, restricted-chart scope and what it does. */

export const syncChannels = {
  'sync.status': channel({
    doc: 'Whether this device is in step with the clinic server: pending changes, conflicts, errors.',
    // Everyone signed in sees whether their work has reached the clinic server, and may push it now.
    roles: DEMOGRAPHICS_READ,
    // Polled by the screen on its own: not activity for the idle sign-out.
    passive: true,
    scope: 'none',
    input: none,
    output: syncStatus,
  }),
  'sync.now': channel({
    doc: 'Syncs with the clinic server now, and says how it went.',
    roles: DEMOGRAPHICS_READ,
    scope: 'none',
    input: none,
    output: syncStatus,
  }),
  'sync.conflicts.list': channel({
    doc: 'Open sync conflicts first, then (when asked) the recently settled ones.',
    // Front desk settles demographics conflicts only: the handler refuses them every other record.
    roles: CONFLICT_SETTLERS,
    // Across charts, a restricted chart's conflicts are listed by name only (values hidden) by the repository.
    scope: (i) => (i.patientId ? [i.patientId] : []),
    input: z
      .object({ patientId: z.uuid().optional(), includeClosed: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(200) })
      .strict(),
    /** Open conflicts first, then (when asked) the recently settled ones. */
    output: z.array(conflictView),
  }),
  'sync.conflicts.resolve': channel({
    doc: 'Settles a conflict by keeping one of the values or a value typed in.',
    roles: CONFLICT_SETTLERS,
    scope: (i, o) => [o('sync_conflict', i.id)],
    input: z
      .object({
        id: z.uuid('not a conflict id'),
        /** The index of the value to keep, or a value typed in for a field. */
        choice: z.union([z.number().int().min(0).max(50), z.object({ value: z.union([z.string().trim().max(20000), z.number(), z.null()]) }).strict()]),
        note: z.string().trim().max(500, 'at most 500 characters').optional(),
      })
      .strict(),
    output: conflictView,
  }),
  'sync.conflicts.dismiss': channel({
    doc: 'Closes a conflict without changing the record, with the reason.',
    roles: CONFLICT_SETTLERS,
    scope: (i, o) => [o('sync_conflict', i.id)],
    input: z
      .object({ id: z.uuid('not a conflict id'), reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500, 'at most 500 characters') })
      .strict(),
    output: conflictView,
  }),
  'sync.quarantine.list': channel({
    doc: 'The changes the clinic server refused from this device, for review.',
    // The refused changes of this device: whoever works on it may see and review them (values by role).
    roles: DEMOGRAPHICS_READ,
    // Refused values of a restricted chart are hidden by the repository; reviewing shows nothing new.
    scope: 'none',
    input: z.object({ includeReviewed: z.boolean().default(false) }).strict(),
    output: z.array(quarantineItem),
  }),
  'sync.quarantine.review': channel({
    doc: 'Marks a refused change reviewed, with what was done about it.',
    roles: DEMOGRAPHICS_READ,
    scope: 'none',
    input: z
      .object({
        deviceId: z.string().min(1).max(100),
        seq: z.number().int().positive(),
        note: z.string().trim().min(3, 'say what was done about it (at least 3 characters)').max(500, 'at most 500 characters'),
      })
      .strict(),
    output: quarantineItem,
  }),
};
