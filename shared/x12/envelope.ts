import { at, el } from './access';
import { type X12Delimiters, type X12Segment, type X12Segments, fail, readSegments } from './read';
import type { X12Result } from './types';

/** One transaction set (ST … SE) with the facts of its group. */
export interface X12TransactionSet {
  /** ST01: 835, 837, 271 … */
  id: string;
  /** ST02. */
  control: string;
  /** ST03, or GS08 when ST03 is empty: e.g. "005010X222A1". */
  version: string;
  /** GS01 functional id (HC, HP, HB …) and GS06 control number of its group. */
  functionalId: string;
  groupControl: string;
  /** ST to SE inclusive. */
  segments: X12Segment[];
}

export interface X12Group {
  functionalId: string;
  senderId: string;
  receiverId: string;
  control: string;
  version: string;
  sets: X12TransactionSet[];
}

/** A whole interchange whose envelopes and counts are consistent. */
export interface X12Interchange {
  delimiters: X12Delimiters;
  /** ISA13 as written (e.g. "000000907"). */
  control: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA15: P or T. */
  usage: string;
  groups: X12Group[];
  /** Every transaction set of every group, in file order. */
  sets: X12TransactionSet[];
}

/** Reads a file and checks its envelopes: `readSegments` then `validateEnvelope`. */
export function readInterchange(text: string): X12Result<X12Interchange> {
  const file = readSegments(text);
  return file.ok ? validateEnvelope(file.value) : file;
}

/**
 * Checks the ISA/GS/ST … SE/GE/IEA envelopes of a tokenized file: every ST is closed by an SE whose
 * SE01 counts the segments from ST to SE inclusive and whose SE02 repeats ST02; GE01 counts the sets
 * and GE02 repeats GS06; IEA01 counts the groups and IEA02 repeats ISA13; nothing follows IEA.
 *
 * Errors name the segment: `SE segment 14: says 12 segments, the transaction set has 13`.
 */
export function validateEnvelope(file: X12Segments): X12Result<X12Interchange> {
  const segs = file.segments;
  const isa = segs[0]!;
  const ic: X12Interchange = {
    delimiters: file.delimiters,
    control: el(isa, 13).trim(),
    senderQualifier: el(isa, 5).trim(),
    senderId: el(isa, 6).trim(),
    receiverQualifier: el(isa, 7).trim(),
    receiverId: el(isa, 8).trim(),
    usage: el(isa, 15).trim(),
    groups: [],
    sets: [],
  };
  if (!/^\d{1,9}$/.test(ic.control)) return fail('envelope', `ISA segment 1: ISA13 "${ic.control}" is not an interchange control number (9 digits)`, 1, 'ISA');
  let i = 1;
  while (i < segs.length) {
    const s = segs[i]!;
    if (s.id === 'IEA') return closeInterchange(ic, s, segs);
    if (s.id !== 'GS') return fail('envelope', `${at(s)}: expected GS (a functional group) or IEA here, outside any group`, s.index, s.id);
    const g = readGroup(segs, i);
    if (!g.ok) return g;
    ic.groups.push(g.value.group);
    // One by one: spreading a huge array into push() would overflow the stack.
    for (const set of g.value.group.sets) ic.sets.push(set);
    i = g.value.next;
  }
  const lastSeg = segs[segs.length - 1]!;
  return fail('truncated', `IEA segment missing: the file ends at ${at(lastSeg)} without the IEA that closes interchange ${ic.control}`, lastSeg.index, 'IEA');
}

function closeInterchange(ic: X12Interchange, iea: X12Segment, segs: X12Segment[]): X12Result<X12Interchange> {
  const count = el(iea, 1);
  if (!sameCount(count, ic.groups.length)) {
    return fail('count', `${at(iea)}: says ${countText(count)} functional groups, the interchange has ${ic.groups.length}`, iea.index, 'IEA');
  }
  if (!sameControl(el(iea, 2), ic.control)) {
    return fail('envelope', `${at(iea)}: control number ${show(el(iea, 2))} does not match ISA13 "${ic.control}"`, iea.index, 'IEA');
  }
  const after = segs[iea.index];
  if (after !== undefined) {
    return fail('envelope', `${at(after)}: comes after the IEA that ends the interchange (one interchange per file)`, after.index, after.id);
  }
  return { ok: true, value: ic };
}

function readGroup(segs: X12Segment[], start: number): X12Result<{ group: X12Group; next: number }> {
  const gs = segs[start]!;
  const group: X12Group = {
    functionalId: el(gs, 1),
    senderId: el(gs, 2),
    receiverId: el(gs, 3),
    control: el(gs, 6),
    version: el(gs, 8),
    sets: [],
  };
  let j = start + 1;
  while (j < segs.length) {
    const s = segs[j]!;
    if (s.id === 'GE') {
      const count = el(s, 1);
      if (!sameCount(count, group.sets.length))
        return fail('count', `${at(s)}: says ${countText(count)} transaction sets, the group has ${group.sets.length}`, s.index, 'GE');
      if (!sameControl(el(s, 2), group.control)) {
        return fail('envelope', `${at(s)}: control number ${show(el(s, 2))} does not match GS06 ${show(group.control)} (${at(gs)})`, s.index, 'GE');
      }
      return { ok: true, value: { group, next: j + 1 } };
    }
    if (s.id !== 'ST') {
      const why = isEnvelope(s.id)
        ? `comes before the GE that closes group ${show(group.control)} (${at(gs)})`
        : 'is outside any transaction set (no ST before it)';
      return fail('envelope', `GE segment missing: ${at(s)} ${why}`, s.index, 'GE');
    }
    const set = readSet(segs, j, group);
    if (!set.ok) return set;
    group.sets.push(set.value);
    j += set.value.segments.length;
  }
  return fail('truncated', `GE segment missing: the file ends inside group ${show(group.control)} (${at(gs)}), without its GE`, gs.index, 'GE');
}

function readSet(segs: X12Segment[], start: number, group: X12Group): X12Result<X12TransactionSet> {
  const st = segs[start]!;
  const set: X12TransactionSet = {
    id: el(st, 1),
    control: el(st, 2),
    version: el(st, 3) || group.version,
    functionalId: group.functionalId,
    groupControl: group.control,
    segments: [],
  };
  const name = `transaction set ${set.id} ${show(set.control)} (${at(st)})`;
  for (let k = start + 1; k < segs.length; k++) {
    const s = segs[k]!;
    if (s.id === 'SE') {
      const has = k - start + 1;
      const count = el(s, 1);
      if (!sameCount(count, has)) return fail('count', `${at(s)}: says ${countText(count)} segments, the transaction set has ${has}`, s.index, 'SE');
      if (!sameControl(el(s, 2), set.control)) {
        return fail('envelope', `${at(s)}: control number ${show(el(s, 2))} does not match ST02 ${show(set.control)} (${at(st)})`, s.index, 'SE');
      }
      set.segments = segs.slice(start, k + 1);
      return { ok: true, value: set };
    }
    if (isEnvelope(s.id)) return fail('envelope', `SE segment missing: ${name} has no SE before ${at(s)}`, s.index, 'SE');
  }
  return fail('truncated', `SE segment missing: the file ends inside ${name}, without its SE`, st.index, 'SE');
}

function isEnvelope(id: string): boolean {
  return id === 'ISA' || id === 'IEA' || id === 'GS' || id === 'GE' || id === 'ST';
}

function sameCount(text: string, n: number): boolean {
  return /^\d{1,10}$/.test(text) && Number(text) === n;
}

/** Control numbers compare as written, or as numbers when both are digits ("0001" and "1" agree). */
function sameControl(a: string, b: string): boolean {
  const x = a.trim();
  const y = b.trim();
  if (x === y) return true;
  return /^\d{1,15}$/.test(x) && /^\d{1,15}$/.test(y) && Number(x) === Number(y);
}

/** A count as the file wrote it: bare when it is a number, quoted when it is not. */
function countText(v: string): string {
  return /^\d+$/.test(v) ? v : v === '' ? 'nothing' : JSON.stringify(v);
}

function show(v: string): string {
  return JSON.stringify(v);
}
