import { z } from 'zod';
import {
  allergyStatus,
  patient,
  patientInput,
  patientSummary,
  patientUpdate,
} from '../domain/patient';
import { passphrase, password, user, username } from '../domain/user';
import type { Channel } from './channels';
import type { Result } from './result';

const none = z.object({}).strict();

export const sessionState = z.object({
  /** uninitialized: no database yet; locked: database exists, key not loaded; unlocked: key loaded, nobody signed in. */
  state: z.enum(['uninitialized', 'locked', 'unlocked', 'signedIn']),
  user: user.nullable(),
  clinicName: z.string().nullable(),
});
export type SessionState = z.infer<typeof sessionState>;

/**
 * The one typed contract between renderer and backend. Every channel names its input and output
 * schema; Electron IPC, the CLI, the web transport and the e2e bridge all go through
 * `dispatch`, which validates against these.
 */
export const contract = {
  'session.status': { input: none, output: sessionState },
  'session.setup': {
    input: z
      .object({
        clinicName: z.string().trim().min(1, 'clinic name is required').max(200),
        passphrase,
        adminUsername: username,
        adminDisplayName: z.string().trim().min(1, 'display name is required').max(100),
        adminPassword: password,
      })
      .strict()
      .refine((v) => v.adminPassword.toLowerCase() !== v.adminUsername, {
        path: ['adminPassword'],
        message: 'password must not be the user name',
      }),
    output: sessionState,
  },
  'session.unlock': {
    input: z.object({ passphrase: z.string().min(1, 'passphrase is required').max(500) }).strict(),
    output: sessionState,
  },
  'session.login': {
    input: z.object({ username, password: z.string().min(1, 'password is required').max(200) }).strict(),
    output: sessionState,
  },
  'session.logout': { input: none, output: sessionState },
  'session.lock': { input: none, output: sessionState },
  'patients.create': { input: patientInput, output: patient },
  'patients.update': { input: patientUpdate, output: patient },
  'patients.get': { input: z.object({ id: z.uuid('not a patient id') }).strict(), output: patient },
  'patients.search': {
    input: z
      .object({
        query: z.string().max(200, 'search text is too long'),
        limit: z.number().int().min(1).max(200).default(25),
      })
      .strict(),
    output: z.array(patientSummary),
  },
  'patients.chartHeader': {
    input: z.object({ id: z.uuid('not a patient id') }).strict(),
    output: z.object({ patient, allergyStatus }),
  },
} satisfies Record<Channel, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
/** What a caller sends (before zod defaults/transforms). */
export type In<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives (after validation). */
export type Parsed<C extends Channel> = z.output<Contract[C]['input']>;
export type Out<C extends Channel> = z.output<Contract[C]['output']>;

/** The API the renderer sees as `window.cairn`. */
export type CairnApi = { [C in Channel]: (input: In<C>) => Promise<Result<Out<C>>> };

/** The generic invoke used by transports. */
export type Invoke = (channel: string, input: unknown) => Promise<Result<unknown>>;
