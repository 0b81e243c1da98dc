import { bad, comp, el, guard, headerOf } from './access';
import type { X12Interchange, X12TransactionSet } from './envelope';
import type { X12Segment } from './read';
import type { Ack999, X12Result } from './types';

type AckSet = Ack999['sets'][number];
type AckError = AckSet['errors'][number];

/** IK3 segment syntax errors, in short words of our own. */
const SEGMENT_ERRORS: Record<string, string> = {
  '1': 'the segment id is not recognised',
  '2': 'the segment is not expected here',
  '3': 'a required segment is missing',
  '4': 'the loop occurs more often than allowed',
  '5': 'the segment occurs more often than allowed',
  '6': 'the segment is not in this transaction set',
  '7': 'the segment is out of order',
  '8': 'the segment has errors in its elements',
  I4: 'the guide says this segment is not used',
  I6: 'a segment the guide requires in this situation is missing',
  I7: 'the loop occurs fewer times than the guide requires',
  I8: 'the segment occurs fewer times than the guide requires',
  I9: 'the guide says this segment is not used in this situation',
};

/** IK4 element errors. */
const ELEMENT_ERRORS: Record<string, string> = {
  '1': 'a required element is missing',
  '2': 'a conditionally required element is missing',
  '3': 'there are too many elements',
  '4': 'the value is too short',
  '5': 'the value is too long',
  '6': 'the value has an invalid character',
  '7': 'the code is not a valid value',
  '8': 'the date is invalid',
  '9': 'the time is invalid',
  '10': 'elements that exclude each other are both present',
  '12': 'the element repeats too often',
  '13': 'there are too many components',
  I6: 'the code is not used by the guide',
  I9: 'an element the guide requires in this situation is missing',
  I10: 'the guide says this element is not used',
  I11: 'there are too few repetitions',
  I12: 'the value does not match the pattern the guide requires',
  I13: 'the guide says this element is not used in this situation',
};

/** IK5 transaction set errors. */
const SET_ERRORS: Record<string, string> = {
  '1': 'the transaction set is not supported',
  '2': 'the trailer (SE) is missing',
  '3': 'the control numbers in ST and SE do not match',
  '4': 'SE01 does not match the number of segments',
  '5': 'one or more segments are in error',
  '6': 'the transaction set id is missing or invalid',
  '7': 'the transaction set control number is missing or invalid',
  '18': 'the transaction set was sent encrypted and could not be read',
  '19': 'the ST03 implementation guide is not supported',
  '23': 'the control number is not unique within the group',
  I5: 'the implementation guide is not supported',
  I6: 'the implementation guide reference is invalid',
};

/**
 * Reads a 999 implementation acknowledgement: per acknowledged transaction set (AK2 … IK5) whether
 * it was accepted, with every IK3/IK4 error as a sentence naming the segment and its position
 * ("CLM segment at position 22 (loop 2300), element 2: the value is too long (bad value "x")."),
 * and the group's verdict (AK9).
 */
export function read999(ic: X12Interchange, set: X12TransactionSet): X12Result<Ack999> {
  return guard(() => readAll(ic, set));
}

function readAll(ic: X12Interchange, set: X12TransactionSet): Ack999 {
  const r: Ack999 = { ...headerOf(ic, set, '999'), sets: [], groupCode: '' };
  let current: AckSet | undefined;
  let segment: { id: string; position: number; loop: string } | undefined;
  for (const seg of set.segments) {
    switch (seg.id) {
      case 'AK1':
        r.acknowledgedGroup = el(seg, 2);
        break;
      case 'AK2':
        current = { transaction: el(seg, 1), control: el(seg, 2), accepted: false, code: '', errors: [] };
        r.sets.push(current);
        segment = undefined;
        break;
      case 'IK3':
        segment = { id: el(seg, 1), position: Number(el(seg, 2)) || 0, loop: el(seg, 3) };
        inSet(current, seg).errors.push(segmentError(seg, segment));
        break;
      case 'IK4':
        inSet(current, seg).errors.push(elementError(seg, segment, ic));
        break;
      case 'IK5':
        closeSet(inSet(current, seg), seg);
        break;
      case 'AK9':
        r.groupCode = el(seg, 1);
        break;
      default:
        break;
    }
  }
  if (r.groupCode === '') bad(set.segments[set.segments.length - 1]!, 'the 999 has no AK9 segment, which gives the verdict on the group');
  return r;
}

function inSet(current: AckSet | undefined, seg: X12Segment): AckSet {
  if (current === undefined) bad(seg, `${seg.id} comes before any AK2 (the transaction set it is about)`);
  return current;
}

function place(s: { id: string; position: number; loop: string }): string {
  return `${s.id || 'a'} segment at position ${s.position}${s.loop ? ` (loop ${s.loop})` : ''}`;
}

function segmentError(seg: X12Segment, s: { id: string; position: number; loop: string }): AckError {
  const code = el(seg, 4);
  const e: AckError = { segmentId: s.id, position: s.position, code, message: `${place(s)}: ${SEGMENT_ERRORS[code] ?? `error code ${code}`}.` };
  return e;
}

function elementError(seg: X12Segment, s: { id: string; position: number; loop: string } | undefined, ic: X12Interchange): AckError {
  if (s === undefined) bad(seg, 'IK4 comes before any IK3 (the segment it is about)');
  const element = Number(comp(seg, 1, 1, ic.delimiters)) || 0;
  const component = comp(seg, 1, 2, ic.delimiters);
  const code = el(seg, 3);
  const value = el(seg, 4) ? ` (bad value ${JSON.stringify(el(seg, 4))})` : '';
  const where = `${place(s)}, element ${element}${component ? ` component ${component}` : ''}`;
  return { segmentId: s.id, position: s.position, element, code, message: `${where}: ${ELEMENT_ERRORS[code] ?? `error code ${code}`}${value}.` };
}

function closeSet(set: AckSet, seg: X12Segment): void {
  set.code = el(seg, 1);
  // A accepted, E accepted with errors; M, R, W, X rejected.
  set.accepted = set.code === 'A' || set.code === 'E';
  for (let n = 2; n <= 6; n++) {
    const code = el(seg, n);
    if (code === '') continue;
    const message = `${place({ id: 'ST', position: 1, loop: '' })} of transaction set ${set.transaction} ${set.control}: ${SET_ERRORS[code] ?? `error code ${code}`}.`;
    set.errors.push({ segmentId: 'ST', position: 1, code, message });
  }
}
