/** Problem list entries: Problem Concern Act → Problem Observation(s), or a bare Problem Observation. */
import { actStatus, hasContent, readCoded } from './codes';
import { interval } from './dates';
import { type EntryReader, isAuxiliary, negated, related, statusObservation } from './entry';
import type { ClinicalStatus, ProblemEntry } from './model';
import { child } from './tree';
import type { XmlElement } from './xml';

export const readProblem: EntryReader<ProblemEntry> = (statement, ctx, out) => {
  if (statement.name === 'observation') return readObservation(statement, null, ctx, out);
  if (statement.name !== 'act') return out.skip(`a <${statement.name}> is not a problem concern or problem observation`);
  const observations = related(statement, undefined, 'observation').filter((o) => !isAuxiliary(o));
  if (observations.length === 0) return out.skip('a problem concern with no problem observation in it');
  for (const obs of observations) readObservation(obs, statement, ctx, out);
};

function readObservation(
  obs: XmlElement,
  concern: XmlElement | null,
  ctx: Parameters<EntryReader<ProblemEntry>>[1],
  out: Parameters<EntryReader<ProblemEntry>>[2],
): void {
  const value = child(obs, 'value');
  const coded = readCoded(value, ctx, obs);
  if (negated(obs)) return out.skip(`"${coded.name || 'problem'}" is stated as absent (negationInd), not a problem`);
  if (!hasContent(coded)) return out.skip('a problem observation with no code and no name');
  const own = interval(child(obs, 'effectiveTime'));
  const concernTime = interval(child(concern, 'effectiveTime'));
  const status = problemStatus(obs, concern, own.end);
  // A resolved problem whose observation carries no end date: the concern's end is when it was resolved.
  const resolved = own.end ?? (status === 'resolved' ? concernTime.end : null);
  out.add({ ...coded, onset: own.start ?? concernTime.start, resolved, status });
}

/** The status observation says; else an end date means resolved; else the concern's statusCode. */
function problemStatus(obs: XmlElement, concern: XmlElement | null, resolved: string | null): ClinicalStatus {
  const said = statusObservation(obs);
  if (said) return said;
  if (resolved) return 'resolved';
  // A Problem Observation's own statusCode is always "completed" (the act of observing): it says nothing of the problem.
  if (!concern) return 'unknown';
  const s = actStatus(child(concern, 'statusCode'));
  return s === 'completed' ? 'resolved' : s;
}
