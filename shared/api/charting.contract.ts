import { z } from 'zod';
import { chartSummary, dueItem, vitalObservation, vitalTrend } from '../domain/chart';
import {
  allergy,
  allergyAdd,
  allergyStatusChange,
  encounter,
  encounterCreate,
  encounterStatus,
  icd10Code,
  immunization,
  immunizationAdd,
  isoDate,
  note,
  noteDraft,
  problem,
  problemAdd,
  problemUpdate,
  vaccine,
} from '../domain/clinical';
import { medAlert } from '../domain/drugs';
import { allergenHit } from '../domain/drugs-allergens';

import { noteTemplate } from '../domain/templates';

import { vitalsInput } from '../domain/vitals';
import { CLINICAL, CLINICAL_WRITE, CODES_READ, PHYSICIAN } from './roles';
import { channel, none, ofPatient, ofPatientAndVisit } from './channel';

/** The charting area's channels: each one's input, output, roles, restricted-chart scope and what it does. */
export const chartingChannels = {
  'encounters.create': channel({
    doc: 'Opens a visit for a patient.',
    // Front desk opens a visit only by checking the patient in (schedule.advance); a visit they could
    // start here would open on a workspace they may not read.
    roles: CLINICAL_WRITE,
    scope: ofPatient,
    input: encounterCreate,
    output: encounter,
  }),
  'encounters.setStatus': channel({
    doc: 'Moves a visit to another status.',
    roles: ['physician', 'nurse', 'front_desk'],
    scope: (i, o) => [o('encounter', i.id)],
    input: z.object({ id: z.uuid(), status: encounterStatus }).strict(),
    output: encounter,
  }),
  'encounters.list': channel({
    doc: "A patient's visits.",
    roles: ['physician', 'nurse', 'front_desk', 'billing', 'admin'],
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.array(encounter),
  }),
  'encounters.get': channel({
    doc: 'One visit with its notes and vitals.',
    roles: CLINICAL,
    scope: (i, o) => [o('encounter', i.id)],
    input: z.object({ id: z.uuid() }).strict(),
    output: z.object({ encounter, notes: z.array(note), vitals: z.array(vitalObservation) }),
  }),
  'templates.list': channel({
    doc: "The clinic's note templates, with the problems of any template file that was skipped.",
    roles: CLINICAL,
    scope: 'none',
    input: none,
    output: z.object({ templates: z.array(noteTemplate), problems: z.array(z.object({ file: z.string(), message: z.string() })) }),
  }),
  'notes.saveDraft': channel({
    doc: 'Saves a note draft (new or existing, version-checked).',
    roles: CLINICAL_WRITE,
    // An existing draft is found by its own id, whatever patientId says: check both.
    scope: (i, o) => [...ofPatientAndVisit(i, o), o('note', i.id)],
    input: noteDraft,
    output: note,
  }),
  'notes.sign': channel({
    doc: 'Signs a note with the password again: from then on it changes by addenda only.',
    roles: PHYSICIAN,
    scope: (i, o) => [o('note', i.id)],
    input: z.object({ id: z.uuid(), expectedVersion: z.number().int().positive(), password: z.string().min(1, 'enter your password to sign') }).strict(),
    output: note,
  }),
  'notes.addendum': channel({
    doc: 'Adds a signed addendum to a signed note.',
    roles: CLINICAL_WRITE,
    scope: (i, o) => [o('note', i.noteId)],
    input: z
      .object({
        noteId: z.uuid(),
        text: z.string().trim().min(1, 'the addendum is empty').max(20000),
        password: z.string().min(1, 'enter your password to sign'),
      })
      .strict(),
    output: note,
  }),
  'notes.enteredInError': channel({
    doc: 'Marks a note entered in error, with the reason (it stays readable).',
    roles: CLINICAL_WRITE,
    scope: (i, o) => [o('note', i.id)],
    input: z.object({ id: z.uuid(), reason: z.string().trim().min(3, 'say why the note is in error').max(500) }).strict(),
    output: note,
  }),
  'notes.list': channel({
    doc: "A patient's notes, or one visit's.",
    roles: CLINICAL,
    scope: (i, o) => ofPatientAndVisit(i, o),
    input: z.object({ patientId: z.uuid(), encounterId: z.uuid().optional() }).strict(),
    output: z.array(note),
  }),
  'notes.pdf': channel({
    doc: 'A signed note as a PDF for printing.',
    roles: CLINICAL,
    scope: (i, o) => [o('note', i.id)],
    input: z.object({ id: z.uuid() }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),
  'vitals.record': channel({
    doc: 'Records a set of vital signs (flagged against age-based ranges).',
    roles: CLINICAL_WRITE,
    scope: (i, o) => ofPatientAndVisit(i, o),
    input: vitalsInput.and(z.object({ patientId: z.uuid(), encounterId: z.uuid().optional() })),
    output: z.array(vitalObservation),
  }),
  'vitals.trends': channel({
    doc: "A patient's vital signs over time.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.array(vitalTrend),
  }),
  'problems.searchCodes': channel({
    doc: 'Searches ICD-10-CM codes by code or words.',
    roles: CODES_READ,
    scope: 'none',
    input: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(100).default(25) }).strict(),
    output: z.array(icd10Code),
  }),
  'problems.add': channel({
    doc: "Adds a problem to the patient's list.",
    roles: CLINICAL_WRITE,
    scope: ofPatient,
    input: problemAdd,
    output: problem,
  }),
  'problems.update': channel({
    doc: 'Changes a problem (status, onset, resolution, note).',
    roles: CLINICAL_WRITE,
    scope: (i, o) => [o('problem', i.id)],
    input: problemUpdate,
    output: problem,
  }),
  'problems.list': channel({
    doc: "A patient's problem list.",
    roles: CODES_READ,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.array(problem),
  }),
  'allergies.add': channel({
    doc: 'Records an allergy or intolerance, checked at once against the current medications.',
    roles: CLINICAL_WRITE,
    scope: ofPatient,
    input: allergyAdd,
    output: allergy.extend({ alerts: z.array(medAlert) }),
  }),
  'allergies.changeStatus': channel({
    doc: "Changes an allergy's status (inactive, resolved, entered in error).",
    roles: CLINICAL_WRITE,
    scope: (i, o) => [o('allergy', i.id)],
    input: allergyStatusChange,
    output: allergy,
  }),
  'allergies.list': channel({
    doc: "A patient's allergies and intolerances.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.array(allergy),
  }),
  'allergies.searchSubstances': channel({
    doc: 'What an allergy is to: drug classes, ingredients, foods and other allergens (never drug products).',
    roles: CLINICAL,
    scope: 'none',
    input: z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(50).default(12) }).strict(),
    output: z.array(allergenHit),
  }),
  'immunizations.vaccines': channel({
    doc: 'Searches vaccines (CVX) by name or code.',
    roles: CLINICAL,
    scope: 'none',
    input: z.object({ query: z.string().max(100) }).strict(),
    output: z.array(vaccine),
  }),
  'immunizations.manufacturers': channel({
    doc: 'Vaccine manufacturers (MVX), by name.',
    roles: CLINICAL,
    scope: 'none',
    input: none,
    output: z.array(z.object({ mvx: z.string(), name: z.string() })),
  }),
  'immunizations.add': channel({
    doc: 'Records a vaccine given (or historical), with lot and site.',
    roles: CLINICAL_WRITE,
    scope: ofPatient,
    input: immunizationAdd,
    output: immunization,
  }),
  'immunizations.list': channel({
    doc: "A patient's immunizations.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.array(immunization),
  }),
  'immunizations.due': channel({
    doc: 'The vaccines due or overdue for a patient on a date, by the schedule.',
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid(), on: isoDate.optional() }).strict(),
    output: z.array(dueItem),
  }),
  'chart.summary': channel({
    doc: "The chart's face sheet: problems, medications, allergies, vitals, due items (audited as opening the chart).",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: chartSummary,
  }),
};
