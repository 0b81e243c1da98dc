import { z } from 'zod';
import { ADULT_BP_GUIDELINES, birthHistory, growthChart } from '../domain/growth-view';
import { channel, none, ofPatient } from './channel';
import { ADMIN, CLINICAL, CLINICAL_WRITE, DEMOGRAPHICS_READ } from './roles';

/** Growth charts and blood pressure categories. */
export const growthChannels = {
  'growth.chart': channel({
    doc: "A child's growth charts: each measurement's percentile, z-score and flags over the WHO/CDC reference curves.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: growthChart,
  }),
  'growth.pdf': channel({
    doc: "A child's growth charts as a PDF to print for the parents.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),
  'growth.setBirthHistory': channel({
    doc: 'Records the gestational age at birth, so a premature baby is charted at corrected age until 24 months.',
    roles: CLINICAL_WRITE,
    scope: ofPatient,
    input: birthHistory.extend({ patientId: z.uuid() }).strict(),
    output: z.object({ gestationalAgeWeeks: z.number() }),
  }),
  'settings.bloodPressure': channel({
    doc: "The adult blood pressure guideline this device's categories follow (ACC/AHA 2017 or ESC/ESH 2018).",
    roles: DEMOGRAPHICS_READ,
    scope: 'none',
    input: none,
    output: z.object({ adultGuideline: z.enum(ADULT_BP_GUIDELINES) }),
  }),
  'settings.setBloodPressure': channel({
    doc: 'Chooses the adult blood pressure guideline for categories and flags (children always follow AAP 2017).',
    roles: ADMIN,
    scope: 'none',
    input: z.object({ adultGuideline: z.enum(ADULT_BP_GUIDELINES, { error: 'adult guideline: acc-aha-2017 or esc-esh-2018' }) }).strict(),
    output: z.object({ adultGuideline: z.enum(ADULT_BP_GUIDELINES) }),
  }),
};
