/**
 * HL7 v2 (2.3 to 2.8), pure: no sockets, no files.
 *
 * ```ts
 * const r = parseMessage(text);              // { ok: true, value } | { ok: false, error }
 * if (!r.ok) log(r.error.message);           // "OBX #3 field 5: unterminated escape sequence "\X4" …"
 * const msg = r.value;
 * readHeader(msg).controlId;                 // MSH facts: type, trigger, structure, version, processing id…
 * get(msg, 'PID-3[2].1');                    // 1-based paths; '' when absent
 * for (const { head: obr, children } of groups(msg, 'OBR')) {
 *   for (const { head: obx, children: notes } of groups(children, 'OBX', { members: ['NTE', 'PRT'] })) {
 *     get(obx, '5'); repetitionValues(obx, 5); get(obx, '6.1');
 *   }
 * }
 * writeMessage(msg);                          // CR-terminated text; parse(write(m)) deep-equals m
 * writeMessage(buildAck(msg, { code: 'AE', controlId, timestamp: hl7Timestamp(Date.now()), error }));
 * const deframer = new MllpDeframer({ maxMessageBytes }); deframer.push(chunk); // → MllpEvent[]
 * ```
 *
 * The model (`message.ts`) is plain data: `segment.fields[n]` is HL7 field n, a field is
 * `repetitions[r][component][subcomponent]` of decoded strings.
 */
export {
  DEFAULT_DELIMITERS,
  delimitersProblem,
  Hl7ParseError,
  isSupportedVersion,
  SUPPORTED_VERSIONS,
  type Hl7Component,
  type Hl7Delimiters,
  type Hl7ErrorCode,
  type Hl7ErrorDetail,
  type Hl7Field,
  type Hl7Message,
  type Hl7Repetition,
  type Hl7Result,
  type Hl7Segment,
} from './message';
export { escapeText, unescapeText, type UnescapeResult } from './escape';
export { parseMessage, parseMessageOrThrow } from './parser';
export { encodingCharacters, writeField, writeMessage, writeSegment, type WriteOptions } from './writer';
export * from './access';
export * from './ack';
export * from './mllp';
export { declaredCharset, decodeHl7, encodeHl7, type DecodeResult } from './charset';
