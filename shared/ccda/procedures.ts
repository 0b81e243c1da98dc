/** Procedure entries: Procedure Activity Procedure, Observation or Act. */
import { actStatus, hasContent, readCoded } from './codes';
import { pointInTime } from './dates';
import { performerName } from './encounters';
import type { EntryReader } from './entry';
import type { ProcedureEntry } from './model';
import { child } from './tree';

const KINDS = new Set(['procedure', 'observation', 'act']);

export const readProcedure: EntryReader<ProcedureEntry> = (statement, ctx, out) => {
  if (!KINDS.has(statement.name)) return out.skip(`a <${statement.name}> is not a procedure activity`);
  const coded = readCoded(child(statement, 'code'), ctx, statement);
  if (!hasContent(coded)) return out.skip('a procedure with no code and no name');
  out.add({
    ...coded,
    date: pointInTime(child(statement, 'effectiveTime')),
    status: actStatus(child(statement, 'statusCode')),
    performer: performerName(statement),
  });
};
