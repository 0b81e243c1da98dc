/** Immunization entries: Immunization Activity (substanceAdministration); negationInd="true" is a refusal. */
import { hasContent, readCode, readCoded, readQuantity } from './codes';
import { pointInTime } from './dates';
import { type EntryReader, negated, related, roots } from './entry';
import type { ImmunizationEntry } from './model';
import { attr, child, hasTemplate, path, text } from './tree';

const REFUSAL = roots('2.16.840.1.113883.10.20.22.4.53', '2.16.840.1.113883.10.20.1.27');

export const readImmunization: EntryReader<ImmunizationEntry> = (statement, ctx, out) => {
  if (statement.name !== 'substanceAdministration') return out.skip(`a <${statement.name}> is not an immunization activity`);
  const product = path(statement, 'consumable', 'manufacturedProduct');
  const material = child(product, 'manufacturedMaterial');
  const coded = readCoded(child(material, 'code'), ctx, statement);
  if (coded.name === '') coded.name = text(child(material, 'name'));
  if (!hasContent(coded)) return out.skip('an immunization with no vaccine code and no vaccine name');
  const given = !negated(statement);
  let refusalReason: string | null = null;
  if (!given) {
    const reason = related(statement, 'RSON', 'observation').find((o) => hasTemplate(o, REFUSAL) || attr(child(o, 'code'), 'code')) ?? null;
    const words = reason ? readCoded(child(reason, 'code'), ctx, reason) : null;
    refusalReason = words && words.name !== '' ? words.name : null;
  }
  out.add({
    ...coded,
    date: pointInTime(child(statement, 'effectiveTime')),
    given,
    refusalReason,
    lotNumber: text(child(material, 'lotNumberText')) || null,
    manufacturer: text(path(product, 'manufacturerOrganization', 'name')) || null,
    route: readCode(child(statement, 'routeCode')),
    dose: readQuantity(child(statement, 'doseQuantity')),
  });
};
