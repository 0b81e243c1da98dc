import { z } from 'zod';
import { doseUnit, medAlert } from '../domain/drugs';
import { checkResult, medicationAdd, medicationChange, medicationCourse, medicationStop, prescribe, reconcile, reconciliation } from '../domain/medications';

import { CLINICAL, CLINICAL_WRITE, PHYSICIAN } from './roles';
import { channel, ofPatient, ofPatientAndVisit } from './channel';

/** The meds area's channels: each one's input, output, roles, restricted-chart scope and what it does. */
export const medsChannels = {
  'meds.searchDrugs': channel({
    doc: 'Searches drugs (RxNorm) by name, brand or ingredient.',
    roles: CLINICAL,
    scope: 'none',
    input: z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(50).default(20) }).strict(),
    output: z.array(
      z.object({
        rxcui: z.string(),
        name: z.string(),
        /** The product an ingredient-coded entry describes ("meloxicam 15 MG Oral Tablet"). */
        description: z.string().optional(),
        brands: z.array(z.string()),
        route: z.string(),
        doseForm: z.string(),
        classes: z.array(z.string()),
      }),
    ),
  }),
  'meds.check': channel({
    doc: 'Safety checks of a drug for a patient: allergies, interactions, duplicates, dose.',
    roles: CLINICAL,
    scope: ofPatient,
    input: z
      .object({
        patientId: z.uuid(),
        rxcui: z.string().regex(/^\d{1,8}$/, 'an RXCUI is 1 to 8 digits'),
        dose: z.object({ amount: z.number().positive(), unit: doseUnit, perDay: z.number().positive().nullable() }).optional(),
      })
      .strict(),
    output: checkResult,
  }),
  'meds.list': channel({
    doc: "A patient's medication courses and the last reconciliation.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.object({ courses: z.array(medicationCourse), lastReconciliation: reconciliation.nullable() }),
  }),
  'meds.add': channel({
    doc: 'Adds a medication the patient takes (from elsewhere), with the safety alerts.',
    roles: CLINICAL_WRITE,
    scope: (i, o) => ofPatientAndVisit(i, o),
    input: medicationAdd,
    output: z.object({ course: medicationCourse, alerts: z.array(medAlert) }),
  }),
  'meds.prescribe': channel({
    doc: 'Signs a prescription with the password again, with the safety alerts acknowledged.',
    roles: PHYSICIAN,
    scope: (i, o) => ofPatientAndVisit(i, o),
    input: prescribe,
    output: z.object({ prescriptionId: z.string(), courseId: z.string(), alerts: z.array(medAlert) }),
  }),
  'meds.change': channel({
    doc: "Changes a course's dose or instructions.",
    roles: CLINICAL_WRITE,
    scope: (i, o) => [o('medication_course', i.courseId)],
    input: medicationChange,
    output: medicationCourse,
  }),
  'meds.stop': channel({
    doc: 'Stops a medication course, with the reason.',
    roles: CLINICAL_WRITE,
    scope: (i, o) => [o('medication_course', i.courseId)],
    input: medicationStop,
    output: medicationCourse,
  }),
  'meds.reconcile': channel({
    doc: 'Records a medication reconciliation: each course kept, changed or stopped.',
    roles: CLINICAL_WRITE,
    scope: (i, o) => [...ofPatientAndVisit(i, o), ...i.items.map((item) => o('medication_course', item.courseId))],
    input: reconcile,
    output: z.object({ id: z.string(), reconciledAt: z.string() }),
  }),
  'meds.prescriptionPdf': channel({
    doc: 'A signed prescription as a PDF for printing.',
    roles: CLINICAL,
    scope: (i, o) => [o('prescription', i.id)],
    input: z.object({ id: z.uuid() }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),
};
