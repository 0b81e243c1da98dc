/**
 * Smoking status from the social history section: the Smoking Status observation (C-CDA
 * 2.16.840.1.113883.10.20.22.4.78), or an R1.1 social history observation (…4.38) coded 72166-2 or
 * ASSERTION. Other social history (alcohol, occupation…) stays in the narrative and is not skipped.
 */
import { hasContent, readCoded } from './codes';
import { pointInTime } from './dates';
import { type EntryReader, roots } from './entry';
import type { SmokingEntry } from './model';
import { attr, child, hasTemplate } from './tree';

const SMOKING = roots('2.16.840.1.113883.10.20.22.4.78');
const SOCIAL = roots('2.16.840.1.113883.10.20.22.4.38', '2.16.840.1.113883.10.20.1.33');

/** The smoking status value set (SNOMED), to tell a smoking ASSERTION from other assertions. */
const SMOKING_VALUES = new Set([
  '449868002',
  '428041000124106',
  '8517006',
  '266919005',
  '77176002',
  '266927001',
  '428071000124103',
  '428061000124105',
  '65568007',
  '230059006',
  '160603005',
  '160604004',
]);

export const readSmoking: EntryReader<SmokingEntry> = (statement, ctx, out) => {
  if (statement.name !== 'observation') return;
  const code = attr(child(statement, 'code'), 'code');
  const value = attr(child(statement, 'value'), 'code');
  const isSmoking =
    hasTemplate(statement, SMOKING) ||
    code === '72166-2' ||
    (code === 'ASSERTION' && (hasTemplate(statement, SOCIAL) || !!value) && SMOKING_VALUES.has(value ?? ''));
  if (!isSmoking) return;
  const coded = readCoded(child(statement, 'value'), ctx, statement);
  if (!hasContent(coded)) return out.skip('a smoking status with no value');
  out.add({ ...coded, date: pointInTime(child(statement, 'effectiveTime')) });
};
