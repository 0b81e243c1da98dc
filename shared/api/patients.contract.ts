import { z } from 'zod';

import { allergyStatus, identityKey, patient, patientInput, patientUpdate, searchHit } from '../domain/patient';
import { chartLinks } from '../domain/sync-review';

import { DEMOGRAPHICS_READ, DEMOGRAPHICS_WRITE } from './roles';
import { channel } from './channel';

/** The patients area's channels: each one's input, output, roles, restricted-chart scope and what it does. */
export const patientsChannels = {
  'patients.create': channel({
    doc: 'Registers a patient; a chart with the same name, birth date and sex is refused (possible_duplicate) until sent again with confirmDuplicate: true.',
    roles: DEMOGRAPHICS_WRITE,
    scope: 'none',
    input: patientInput,
    output: patient,
  }),
  'patients.update': channel({
    doc: "Changes a patient's demographics (optimistic version check).",
    roles: DEMOGRAPHICS_WRITE,
    scope: (i) => [i.id],
    input: patientUpdate,
    output: patient,
  }),
  'patients.get': channel({
    doc: "One patient's demographics (audited as a read).",
    roles: DEMOGRAPHICS_READ,
    scope: (i) => [i.id],
    input: z.object({ id: z.uuid('not a patient id') }).strict(),
    output: patient,
  }),
  'patients.search': channel({
    doc: 'Finds charts by name, MRN, birth date or phone; restricted charts show their name only.',
    roles: DEMOGRAPHICS_READ,
    // Restricted hits are reduced to the name by the repository.
    scope: 'none',
    input: z
      .object({
        query: z.string().max(200, 'search text is too long'),
        limit: z.number().int().min(1).max(200).default(25),
      })
      .strict(),
    output: z.array(searchHit),
  }),
  'patients.chartHeader': channel({
    doc: "What the chart's banner shows: demographics and the allergy status (audited as opening the chart).",
    roles: DEMOGRAPHICS_READ,
    scope: (i) => [i.id],
    input: z.object({ id: z.uuid('not a patient id') }).strict(),
    output: z.object({ patient, allergyStatus }),
  }),
  'patients.findDuplicates': channel({
    doc: "Charts with the same family name, given name, birth date and sex (the registration form's duplicate check).",
    // Whoever registers patients checks for an existing chart first.
    roles: DEMOGRAPHICS_WRITE,
    // Restricted charts are reduced to the name by the repository, as in search.
    scope: 'none',
    input: identityKey,
    output: z.array(searchHit),
  }),
  'patients.setRestricted': channel({
    doc: 'Restricts a chart (VIP, staff) or lifts the restriction.',
    // A privacy decision: the physician (at the patient's request) or the administrator (staff, VIP charts).
    roles: ['physician', 'admin'],
    // Restricting an open chart needs nothing; lifting a restriction needs the glass broken first.
    scope: (i) => [i.id],
    input: z.object({ id: z.uuid('not a patient id'), restricted: z.boolean() }).strict(),
    output: patient,
  }),
  'patients.breakGlass': channel({
    doc: 'Opens a restricted chart for a while, with a reason and the password again (audited).',
    // Whoever may open a chart may break the glass for a restricted one: the reason and the audit are the check.
    roles: DEMOGRAPHICS_READ,
    // The way in.
    scope: 'none',
    input: z
      .object({
        patientId: z.uuid('not a patient id'),
        reason: z.string().trim().min(10, 'say why you need this restricted chart (at least 10 characters)').max(500, 'at most 500 characters'),
        password: z.string().min(1, 'enter your password to break the glass').max(200),
      })
      .strict(),
    /** Access to this chart for the signed-in user until `until` (or sign-out, whichever comes first). */
    output: z.object({ patientId: z.string(), until: z.string() }),
  }),
  'patients.merge': channel({
    doc: 'Merges a duplicate chart into its survivor (reversible, audited).',
    // Chart identity decisions (merging a duplicate, a new MRN for one of two charts sharing one): reversible, audited.
    roles: ['physician', 'admin'],
    scope: (i, o) => [i.survivorId, i.duplicateId, i.conflictId === undefined ? undefined : o('sync_conflict', i.conflictId)],
    input: z
      .object({ survivorId: z.uuid('not a patient id'), duplicateId: z.uuid('not a patient id'), conflictId: z.uuid('not a conflict id').optional() })
      .strict()
      .refine((v) => v.survivorId !== v.duplicateId, { path: ['duplicateId'], message: 'a chart cannot be merged into itself' }),
    output: patient,
  }),
  'patients.unmerge': channel({
    doc: 'Undoes a merge: the duplicate chart stands on its own again.',
    roles: ['physician', 'admin'],
    scope: (i) => [i.id],
    input: z.object({ id: z.uuid('not a patient id') }).strict(),
    output: patient,
  }),
  'patients.reassignMrn': channel({
    doc: 'Gives one of two charts that share an MRN a new one.',
    roles: ['physician', 'admin'],
    scope: (i) => [i.id],
    input: z.object({ id: z.uuid('not a patient id'), conflictId: z.uuid('not a conflict id').optional() }).strict(),
    output: patient,
  }),
  'patients.links': channel({
    doc: 'The charts merged into or from this one, and its MRN history.',
    roles: DEMOGRAPHICS_READ,
    scope: (i) => [i.id],
    input: z.object({ id: z.uuid('not a patient id') }).strict(),
    output: chartLinks,
  }),
};
