/** Encounter entries: Encounter Activity with its location, performer and diagnoses. */
import { type ReadContext, hasContent, personName, readCoded } from './codes';
import { interval } from './dates';
import { type EntryReader, related } from './entry';
import type { Coded, EncounterEntry } from './model';
import { attr, child, children, path, text } from './tree';
import type { XmlElement } from './xml';

export const readEncounter: EntryReader<EncounterEntry> = (statement, ctx, out) => {
  if (statement.name !== 'encounter') return out.skip(`a <${statement.name}> is not an encounter activity`);
  const coded = readCoded(child(statement, 'code'), ctx, statement);
  const { start, end } = interval(child(statement, 'effectiveTime'));
  if (!hasContent(coded) && !start) return out.skip('an encounter with no code, no name and no date');
  if (coded.name === '') coded.name = 'Encounter';
  out.add({ ...coded, start, end, location: location(statement), performer: performerName(statement), diagnoses: diagnoses(statement, ctx) });
};

function location(enc: XmlElement): string | null {
  for (const p of children(enc, 'participant')) {
    if (attr(p, 'typeCode') !== 'LOC') continue;
    const role = child(p, 'participantRole');
    const name = text(path(role, 'playingEntity', 'name')) || text(child(role, 'code')) || attr(child(role, 'code'), 'displayName');
    if (name) return name;
  }
  return null;
}

/** The first performer in words: the person, else their organisation. Shared with procedures. */
export function performerName(el: XmlElement): string | null {
  for (const p of children(el, 'performer')) {
    const entity = child(p, 'assignedEntity');
    const person = personName(path(entity, 'assignedPerson', 'name'));
    if (person) return person;
    const org = text(path(entity, 'representedOrganization', 'name'));
    if (org) return org;
  }
  return null;
}

/** Encounter Diagnosis acts (→ their problem observations), and indications or problem observations related directly. */
function diagnoses(enc: XmlElement, ctx: ReadContext): Coded[] {
  const out: Coded[] = [];
  const take = (obs: XmlElement): void => {
    const c = readCoded(child(obs, 'value'), ctx, obs);
    // An indication and an encounter diagnosis often name the same problem: keep it once.
    const same = out.some((d) => d.name === c.name && d.code?.code === c.code?.code && d.code?.system === c.code?.system);
    if (hasContent(c) && !same) out.push(c);
  };
  for (const s of related(enc)) {
    if (s.name === 'act') for (const o of related(s, undefined, 'observation')) take(o);
    else if (s.name === 'observation') take(s);
  }
  return out;
}
