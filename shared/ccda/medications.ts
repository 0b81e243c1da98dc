/** Medication entries: Medication Activity (substanceAdministration), also inside a Discharge Medication act. */
import { actStatus, hasContent, readCode, readCoded, readQuantity, referencedText } from './codes';
import { interval } from './dates';
import { type EntryReader, negated, related, roots } from './entry';
import { frequencyWords } from './frequency';
import type { MedicationEntry } from './model';
import { attr, child, children, hasTemplate, path, text } from './tree';
import type { XmlElement } from './xml';

const INSTRUCTION = roots('2.16.840.1.113883.10.20.22.4.20', '2.16.840.1.113883.10.20.1.49');

export const readMedication: EntryReader<MedicationEntry> = (statement, ctx, out) => {
  if (statement.name === 'act') {
    const inner = related(statement, undefined, 'substanceAdministration');
    if (inner.length === 0) return out.skip('a medication act with no substanceAdministration in it');
    for (const sa of inner) readMedication(sa, ctx, out);
    return;
  }
  if (statement.name !== 'substanceAdministration') return out.skip(`a <${statement.name}> is not a medication activity`);
  const material = path(statement, 'consumable', 'manufacturedProduct', 'manufacturedMaterial');
  const coded = readCoded(child(material, 'code'), ctx, statement);
  if (coded.name === '') coded.name = text(child(material, 'name'));
  if (negated(statement)) return out.skip(`"${coded.name || 'medication'}" is stated as not taken (negationInd), not a medication`);
  if (!hasContent(coded)) return out.skip('a medication activity with no drug code and no drug name');
  const times = children(statement, 'effectiveTime');
  // The IVL_TS (or a single TS) is the course; PIVL/EIVL are timing.
  const course = times.find((t) => !child(t, 'period') && !child(t, 'event') && !/[PE]IVL_TS$/.test(attr(t, 'type') ?? '')) ?? null;
  const { start, end } = interval(course);
  out.add({
    ...coded,
    dose: readQuantity(child(statement, 'doseQuantity')),
    route: readCode(child(statement, 'routeCode')),
    frequency: frequencyWords(times),
    instructions: instructions(statement, ctx),
    start,
    end,
    status: actStatus(child(statement, 'statusCode')),
  });
};

/** The instruction act's text (the sig), else the activity's own text when it is short enough to be one. */
function instructions(sa: XmlElement, ctx: Parameters<EntryReader<MedicationEntry>>[1]): string | null {
  for (const rel of related(sa, undefined, 'act')) {
    if (!hasTemplate(rel, INSTRUCTION) && attr(child(rel, 'code'), 'code') !== '409073007') continue;
    const t = referencedText(child(rel, 'text'), ctx) || readCoded(child(rel, 'code'), ctx).name;
    if (t !== '') return t;
  }
  // Important: most R2.1 writers point the activity's <text> at its whole narrative row (drug, dose,
  // route, dates, status run together): that row is not a sig, so only a smaller element counts.
  const ownText = child(sa, 'text');
  const ref = attr(child(ownText, 'reference'), 'value');
  if (ref?.startsWith('#') && ctx.ids.get(ref.slice(1))?.name === 'tr') return null;
  const own = referencedText(ownText, ctx);
  return own !== '' && own.length <= 500 ? own : null;
}
