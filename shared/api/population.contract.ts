import { z } from 'zod';

import {
  dueList,
  dueListInput,
  measurePatient,
  measurePatientsInput,
  measureSummary,
  measureTrendPoint,
  measuresInput,
  preventiveInput,
  preventiveItemView,
} from '../domain/population-report';
import { CLINICAL, CLINICAL_WRITE } from './roles';
import { channel, ofPatient } from './channel';

/** The population area's channels: each one's input, output, roles, restricted-chart scope and what it does. */
export const populationChannels = {
  'population.preventive': channel({
    doc: "A patient's preventive care items (screenings, counselling) due or done.",
    // Population health: clinicians act on the lists; no one else sees whose screening is due.
    roles: CLINICAL,
    scope: ofPatient,
    input: preventiveInput,
    output: z.array(preventiveItemView),
  }),
  'population.dueList': channel({
    doc: 'Patients due for chosen preventive care, for outreach.',
    roles: CLINICAL_WRITE,
    // Practice lists: restricted charts are counted and never listed with clinical detail.
    scope: 'none',
    input: dueListInput,
    output: dueList,
  }),
  'population.dueListCsv': channel({
    doc: 'The due list as a CSV file.',
    roles: CLINICAL_WRITE,
    scope: 'none',
    input: dueListInput,
    output: z.object({ fileName: z.string(), csv: z.string() }),
  }),
  'population.measures': channel({
    doc: "The clinic's quality measures for a year (numerator, denominator, rate).",
    roles: CLINICAL,
    scope: 'none',
    input: measuresInput,
    output: z.array(measureSummary),
  }),
  'population.measuresTrend': channel({
    doc: 'Quality measures month by month through a year.',
    roles: CLINICAL,
    scope: 'none',
    input: measuresInput,
    output: z.array(measureTrendPoint),
  }),
  'population.measurePatients': channel({
    doc: 'The patients in one population of one measure (restricted charts by name only).',
    roles: CLINICAL_WRITE,
    scope: 'none',
    input: measurePatientsInput,
    output: z.array(measurePatient),
  }),
  'population.measuresCsv': channel({
    doc: 'The quality measures as a CSV file.',
    roles: CLINICAL,
    scope: 'none',
    input: measuresInput,
    output: z.object({ fileName: z.string(), csv: z.string() }),
  }),
  'population.measuresPdf': channel({
    doc: 'The quality measures as a PDF report.',
    roles: CLINICAL,
    scope: 'none',
    input: measuresInput,
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),
};
