import { z } from 'zod';
import { isoDate } from '../domain/clinical';

import { clinicInfo, clinicSettings, deaOrNone, idsOnlyForPrescribers, npiOrNone } from '../domain/prescriber';
import { passphrase, password, passwordAgainstNames, role, user, username } from '../domain/user';
import { DEMOGRAPHICS_READ, ADMIN } from './roles';
import { channel, none } from './channel';

/** Where the app stands, as every session.* channel answers it. */
export const sessionState = z.object({
  /** uninitialized: no database yet; locked: database exists, key not loaded; unlocked: key loaded, nobody signed in. */
  state: z.enum(['uninitialized', 'locked', 'unlocked', 'signedIn']),
  user: user.nullable(),
  clinicName: z.string().nullable(),
  /** Signed out by the idle timer (the sign-in screen says so). */
  autoLocked: z.boolean(),
  autoLockMinutes: z.number(),
  /** The clinic's IANA zone (clinic-hours.json) while a database is open: "today" on screen is the clinic's day there. */
  clinicZone: z.string().nullable(),
});
export type SessionState = z.infer<typeof sessionState>;

/** The security area's channels: each one's input, output, roles, restricted-chart scope and what it does. */
export const securityChannels = {
  'session.status': channel({
    doc: 'Where the app stands: no database yet, locked, unlocked, or signed in (and who).',
    roles: 'public',
    scope: 'none',
    input: none,
    output: sessionState,
  }),
  'session.setup': channel({
    doc: "First run: creates the clinic's encrypted database and its first administrator.",
    roles: 'public',
    scope: 'none',
    input: z
      .object({
        clinicName: z.string().trim().min(1, 'clinic name is required').max(200),
        passphrase,
        adminUsername: username,
        adminDisplayName: z.string().trim().min(1, 'display name is required').max(100),
        adminPassword: password,
      })
      .strict()
      .superRefine(passwordAgainstNames('adminPassword', (v) => ({ username: v.adminUsername, displayName: v.adminDisplayName, clinicName: v.clinicName }))),
    output: sessionState,
  }),
  'session.unlock': channel({
    doc: "Opens this device's encrypted database with the clinic passphrase.",
    roles: 'public',
    scope: 'none',
    input: z.object({ passphrase: z.string().min(1, 'passphrase is required').max(500) }).strict(),
    output: sessionState,
  }),
  'session.login': channel({
    doc: 'Signs a person in (with the clinic server when the device is enrolled and it is reachable).',
    roles: 'public',
    scope: 'none',
    input: z.object({ username, password: z.string().min(1, 'password is required').max(200) }).strict(),
    output: sessionState,
  }),
  'session.logout': channel({
    doc: 'Signs the person out; the database stays unlocked for the next one.',
    roles: 'public',
    scope: 'none',
    input: none,
    output: sessionState,
  }),
  'session.lock': channel({
    doc: 'Signs out and closes the database: the passphrase is needed again.',
    roles: 'public',
    scope: 'none',
    input: none,
    output: sessionState,
  }),
  'settings.autoLock': channel({
    doc: 'Sets how many idle minutes sign a person out.',
    roles: ADMIN,
    scope: 'none',
    input: z.object({ minutes: z.number().int().min(1, 'at least 1 minute').max(240, 'at most 4 hours') }).strict(),
    output: z.object({ minutes: z.number() }),
  }),
  'settings.clinic': channel({
    doc: "The clinic's name, address and phone as printed on prescriptions (kept on this device).",
    // Everyone signed in prints documents headed by the clinic's address; only administrators change it.
    roles: DEMOGRAPHICS_READ,
    scope: 'none',
    input: none,
    output: clinicInfo,
  }),
  'settings.setClinic': channel({
    doc: "Changes the clinic's name, address and phone printed on documents.",
    roles: ADMIN,
    scope: 'none',
    input: clinicSettings,
    output: clinicInfo,
  }),
  'audit.search': channel({
    doc: 'The audit log, newest first, filtered by patient, user, action and dates, with whether the chain is intact.',
    roles: ADMIN,
    // The accounting of access to a restricted chart is the privacy officer's tool: not blocked.
    scope: 'none',
    input: z
      .object({
        patientId: z.uuid().optional(),
        userId: z.string().max(100).optional(),
        action: z.string().max(100).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    output: z.object({
      entries: z.array(
        z.object({
          seq: z.number(),
          at: z.string(),
          userId: z.string().nullable(),
          user: z.string().nullable(),
          deviceId: z.string(),
          action: z.string(),
          patientId: z.string().nullable(),
          recordType: z.string().nullable(),
          recordId: z.string().nullable(),
          detail: z.string().nullable(),
        }),
      ),
      chainIntact: z.boolean(),
    }),
  }),
  'users.list': channel({
    doc: "Every account on this device with its role, whether it is disabled, and a prescriber's NPI and DEA.",
    roles: ADMIN,
    scope: 'none',
    input: none,
    output: z.array(user.extend({ disabled: z.boolean(), npi: z.string().nullable(), dea: z.string().nullable() })),
  }),
  'users.create': channel({
    doc: 'Adds an account (password policy checked; NPI and DEA for prescribers only).',
    roles: ADMIN,
    scope: 'none',
    input: z
      .object({
        username,
        displayName: z.string().trim().min(1, 'display name is required').max(100),
        role,
        password,
        npi: npiOrNone.optional(),
        dea: deaOrNone.optional(),
      })
      .strict()
      .superRefine(passwordAgainstNames('password', (v) => ({ username: v.username, displayName: v.displayName })))
      .superRefine(idsOnlyForPrescribers),
    output: user,
  }),
  'users.update': channel({
    doc: "A prescriber's NPI and DEA number (a field left out stays as it is; null clears it).",
    roles: ADMIN,
    scope: 'none',
    input: z.object({ username, npi: npiOrNone.optional(), dea: deaOrNone.optional() }).strict(),
    output: user.extend({ disabled: z.boolean(), npi: z.string().nullable(), dea: z.string().nullable() }),
  }),
  'users.disable': channel({
    doc: 'Disables an account: its sessions end at their next call.',
    roles: ADMIN,
    scope: 'none',
    input: z.object({ username }).strict(),
    output: user.extend({ disabled: z.boolean() }),
  }),
  'users.enable': channel({
    doc: 'Enables a disabled account again.',
    roles: ADMIN,
    scope: 'none',
    input: z.object({ username }).strict(),
    output: user.extend({ disabled: z.boolean() }),
  }),
  'users.resetPassword': channel({
    doc: "Sets a new password for an account (the person's other sessions end).",
    roles: ADMIN,
    scope: 'none',
    input: z
      .object({ username, password })
      .strict()
      .superRefine(passwordAgainstNames('password', (v) => ({ username: v.username }))),
    output: user,
  }),
};
