/** Allergy entries: Allergy Concern Act → Allergy(-Intolerance) Observation, substance from the participant. */
import { type ReadContext, actStatus, hasContent, readCoded } from './codes';
import { interval } from './dates';
import { type EntryReader, isAuxiliary, negated, related, roots, statusObservation } from './entry';
import type { AllergyCategory, AllergyEntry, ClinicalStatus, Coded } from './model';
import { OID } from './model';
import { attr, child, hasTemplate, path, text } from './tree';
import type { XmlElement } from './xml';

/** SNOMED allergy types (the observation's value) → category. */
const CATEGORY: Record<string, AllergyCategory> = {
  '416098002': 'drug', // drug allergy
  '419511003': 'drug', // propensity to adverse reactions to drug
  '59037007': 'drug', // drug intolerance
  '414285001': 'food', // food allergy
  '235719002': 'food', // food intolerance
  '418471000': 'food', // propensity to adverse reactions to food
  '426232007': 'environment', // environmental allergy
  '232347008': 'environment', // dander allergy
  '300910009': 'environment', // pollen allergy
  '419199007': 'other', // allergy to substance
  '420134006': 'other', // propensity to adverse reactions
  '418038007': 'other', // propensity to adverse reactions to substance
};
const SEVERITY_CODES: Record<string, 'mild' | 'moderate' | 'severe'> = {
  '255604002': 'mild',
  '371923003': 'moderate', // mild to moderate
  '6736007': 'moderate',
  '371924009': 'severe', // moderate to severe
  '24484000': 'severe',
  '399166001': 'severe', // fatal
};
const SEVERITY_OBS = roots('2.16.840.1.113883.10.20.22.4.8', '2.16.840.1.113883.10.20.1.55');
const REACTION_OBS = roots('2.16.840.1.113883.10.20.22.4.9', '2.16.840.1.113883.10.20.1.54');
const DRUG_SYSTEMS = new Set<string>([OID.rxnorm, OID.ndc, OID.ndfrt, OID.unii]);

export const readAllergy: EntryReader<AllergyEntry> = (statement, ctx, out) => {
  if (statement.name === 'observation') return readObservation(statement, null, ctx, out);
  if (statement.name !== 'act') return out.skip(`a <${statement.name}> is not an allergy concern or allergy observation`);
  const observations = related(statement, undefined, 'observation').filter((o) => !isAuxiliary(o));
  if (observations.length === 0) return out.skip('an allergy concern with no allergy observation in it');
  for (const obs of observations) readObservation(obs, statement, ctx, out);
};

function readObservation(obs: XmlElement, concern: XmlElement | null, ctx: ReadContext, out: Parameters<EntryReader<AllergyEntry>>[2]): void {
  const entity = path(obs, 'participant', 'participantRole', 'playingEntity');
  const substance = readCoded(child(entity, 'code'), ctx);
  if (substance.name === '') substance.name = text(child(entity, 'name'));
  if (negated(obs)) return out.skip(`"${substance.name || 'no known allergies'}" is stated as absent (negationInd), not an allergy`);
  const kind = child(obs, 'value');
  // Some senders put the substance in the value when no participant is sent.
  const coded: Coded = hasContent(substance) ? substance : readCoded(kind, ctx, obs);
  if (!hasContent(substance) && (!coded.code || CATEGORY[coded.code.code] !== undefined))
    return out.skip('an allergy observation with no substance (no participant code or name)');
  const valueCode = attr(kind, 'code');
  let category: AllergyCategory = (valueCode && CATEGORY[valueCode]) || 'other';
  if (category === 'other' && coded.code && DRUG_SYSTEMS.has(coded.code.system)) category = 'drug';
  const reactions: AllergyEntry['reactions'] = [];
  for (const r of related(obs, undefined, 'observation')) {
    if (hasTemplate(r, SEVERITY_OBS) || isStatus(r)) continue;
    if (!hasTemplate(r, REACTION_OBS) && !isReactionRel(obs, r)) continue;
    const reaction = readCoded(child(r, 'value'), ctx, r);
    if (!hasContent(reaction)) continue;
    reactions.push({ reaction, severity: severityOf(r) });
  }
  const own = interval(child(obs, 'effectiveTime'));
  out.add({
    ...coded,
    category,
    reactions,
    severity: severityOf(obs) ?? (concern ? severityOf(concern) : null),
    status: allergyStatus(obs, concern, own.end),
    onset: own.start,
  });
}

const isStatus = (o: XmlElement): boolean => attr(child(o, 'code'), 'code') === '33999-4';

/** An un-templated observation counts as a reaction only when its entryRelationship says MFST (manifestation). */
function isReactionRel(obs: XmlElement, r: XmlElement): boolean {
  return related(obs, 'MFST', 'observation').includes(r);
}

/** The severity observation directly under `el` (SUBJ), by code or by words. */
function severityOf(el: XmlElement): 'mild' | 'moderate' | 'severe' | null {
  for (const s of related(el, undefined, 'observation')) {
    if (!hasTemplate(s, SEVERITY_OBS) && attr(child(s, 'code'), 'code') !== 'SEV') continue;
    const value = child(s, 'value');
    const code = attr(value, 'code');
    if (code && SEVERITY_CODES[code]) return SEVERITY_CODES[code];
    const words = (attr(value, 'displayName') ?? '').toLowerCase();
    if (words.includes('severe') || words.includes('fatal')) return 'severe';
    if (words.includes('moderate')) return 'moderate';
    if (words.includes('mild')) return 'mild';
  }
  return null;
}

function allergyStatus(obs: XmlElement, concern: XmlElement | null, ended: string | null): ClinicalStatus {
  const said = statusObservation(obs);
  if (said) return said;
  if (ended) return 'resolved';
  if (!concern) return 'unknown';
  const s = actStatus(child(concern, 'statusCode'));
  return s === 'completed' ? 'resolved' : s;
}
