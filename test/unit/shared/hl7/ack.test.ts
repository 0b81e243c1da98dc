import { hl7Fixture } from '../../../helpers/hl7-fixtures';
import { describe, expect, it } from 'vitest';
import {
  ackForParseError,
  buildAck,
  field,
  get,
  hl7Timestamp,
  type Hl7Message,
  parseMessage,
  parseMessageOrThrow,
  readHeader,
  segment,
  writeMessage,
} from '../../../../shared/hl7';

const text = (name: string): string => hl7Fixture(name);
const TS = '20260314095900+0000';
/** What the sender receives: the ACK written and parsed again. */
const onTheWire = (ack: Hl7Message): Hl7Message => parseMessageOrThrow(writeMessage(ack));

describe('buildAck', () => {
  const lab = parseMessageOrThrow(text('LAB-ORU-1.hl7'));

  it('AA: swaps sender and receiver, keeps version and processing id, answers the control id', () => {
    const ack = onTheWire(buildAck(lab, { code: 'AA', controlId: 'ACK-1', timestamp: TS }));
    expect(ack.segments.map((s) => s.name)).toEqual(['MSH', 'MSA']);
    expect(readHeader(ack)).toMatchObject({
      sendingApplication: 'TransformationAgent',
      sendingFacility: '',
      receivingApplication: 'SomeSystem',
      receivingFacility: '',
      dateTime: TS,
      messageType: 'ACK',
      triggerEvent: 'R01',
      messageStructure: 'ACK',
      controlId: 'ACK-1',
      processingId: 'T',
      version: '2.5',
    });
    expect([get(ack, 'MSA-1'), get(ack, 'MSA-2'), get(ack, 'MSA-3')]).toEqual(['AA', '182', '']);
    expect(writeMessage(buildAck(lab, { code: 'AA', controlId: 'ACK-1', timestamp: TS }))).toBe(
      `MSH|^~\\&|TransformationAgent||SomeSystem||${TS}||ACK^R01^ACK|ACK-1|T|2.5\rMSA|AA|182|\r`,
    );
  });

  it('copies whole HD fields (with their components) when swapping', () => {
    const oru = parseMessageOrThrow(text('ORU-R01-01.hl7'));
    const ack = onTheWire(buildAck(oru, { code: 'AA', controlId: 'A2', timestamp: TS }));
    const msh = ack.segments[0]!;
    expect(field(msh, 3)).toEqual(field(oru.segments[0]!, 5));
    expect(field(msh, 6)).toEqual(field(oru.segments[0]!, 4));
    expect(get(ack, 'MSH-3.2')).toBe('2.16.840.1.114222.4.3.3.19');
    expect(get(ack, 'MSA-2')).toBe('2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325');
  });

  it('AE (v2.5+): MSA-3 text and an ERR with location, condition, severity and reason', () => {
    const reason = 'OBX #3 field 5: value "4|06" is not a number ^ check';
    const ack = onTheWire(
      buildAck(lab, { code: 'AE', controlId: 'A3', timestamp: TS, error: { reason, condition: '102', segment: 'OBX', occurrence: 3, field: 5 } }),
    );
    expect(ack.segments.map((s) => s.name)).toEqual(['MSH', 'MSA', 'ERR']);
    expect([get(ack, 'MSA-1'), get(ack, 'MSA-2'), get(ack, 'MSA-3')]).toEqual(['AE', '182', reason]);
    const err = segment(ack, 'ERR')!;
    expect(get(err, '1')).toBe('');
    expect([get(err, '2.1'), get(err, '2.2'), get(err, '2.3')]).toEqual(['OBX', '3', '5']);
    expect([get(err, '3.1'), get(err, '3.2'), get(err, '3.3')]).toEqual(['102', 'Data type error', 'HL70357']);
    expect(get(err, '4')).toBe('E');
    expect(get(err, '8')).toBe(reason);
  });

  it('AR with only a text still gets an ERR (condition 207), and the text in MSA-3', () => {
    const ack = onTheWire(buildAck(lab, { code: 'AR', controlId: 'A4', timestamp: TS, text: 'Unsupported message type' }));
    expect(get(ack, 'MSA-1')).toBe('AR');
    expect(get(ack, 'MSA-3')).toBe('Unsupported message type');
    expect([get(ack, 'ERR-2'), get(ack, 'ERR-3'), get(ack, 'ERR-8')]).toEqual(['', '207', 'Unsupported message type']);
  });

  it('v2.3.1 and v2.4: the error goes in ERR-1 (segment^sequence^field^code&text&table)', () => {
    const pc1 = parseMessageOrThrow(text('PC1-Problem-Add-v2.3.1.hl7'));
    const ack = onTheWire(
      buildAck(pc1, { code: 'AE', controlId: 'A5', timestamp: TS, error: { reason: 'bad code', condition: '103', segment: 'PRB', occurrence: 1, field: 3 } }),
    );
    expect(get(ack, 'MSH-9')).toBe('ACK');
    expect(get(ack, 'MSH-9.3')).toBe('ACK');
    expect(get(ack, 'MSH-12')).toBe('2.3.1');
    expect(get(ack, 'MSA-2')).toBe('331');
    const err = segment(ack, 'ERR')!;
    expect(field(err, 1)).toEqual([[['PRB'], ['1'], ['3'], ['103', 'Table value not found', 'HL70357']]]);
    expect(err.fields).toHaveLength(2);
  });

  it('v2.3 has no message-structure component; MSH-18 (character set) is carried over', () => {
    const v23 = parseMessageOrThrow('MSH|^~\\&|LAB|H|EMR|C|20240101||ORU^R01|77|P|2.3|||AL|NE||UNICODE UTF-8\rPID|1');
    const ack = onTheWire(buildAck(v23, { code: 'AA', controlId: 'A6', timestamp: TS }));
    expect(field(ack.segments[0]!, 9)).toEqual([[['ACK'], ['R01']]]);
    expect(get(ack, 'MSH-18')).toBe('UNICODE UTF-8');
    expect(get(ack, 'MSH-15')).toBe('');
  });

  it('answers with the original delimiters', () => {
    const custom = parseMessageOrThrow('MSH#$*@!#SND#SF#RCV#RF#20240101##ORU$R01$ORU_R01#9#P#2.5.1');
    const written = writeMessage(buildAck(custom, { code: 'AE', controlId: 'A7', timestamp: TS, error: { reason: 'a#b' } }));
    expect(written.startsWith('MSH#$*@!#RCV#RF#SND#SF#')).toBe(true);
    expect(written).toContain('ERR###207$Application internal error$HL70357#E####a@F@b\r');
    expect(get(parseMessageOrThrow(written), 'ERR-8')).toBe('a#b');
  });
});

describe('ackForParseError', () => {
  it('answers a message broken after MSH with AE at the error', () => {
    const broken = text('LAB-ORU-1.hl7').replace('OBX|3|NM|20509-6^HEMOGLOBIN^LN||', 'OBX|3|NM|20509-6^HEMOGLOBIN^LN||\\X4');
    const r = parseMessage(broken);
    if (r.ok) throw new Error('expected an error');
    const ack = onTheWire(ackForParseError(r.error, { controlId: 'A8', timestamp: TS })!);
    expect([get(ack, 'MSA-1'), get(ack, 'MSA-2')]).toEqual(['AE', '182']);
    expect(get(ack, 'MSA-3')).toMatch(/^OBX #3 field 5: unterminated escape sequence "\\X4"/);
    expect([get(ack, 'ERR-2.1'), get(ack, 'ERR-2.2'), get(ack, 'ERR-2.3'), get(ack, 'ERR-3.1')]).toEqual(['OBX', '3', '5', '102']);
  });

  it('rejects (AR) a message whose MSH is incomplete, and cannot answer one without MSH', () => {
    const r = parseMessage('MSH|^~\\&|A|B|C|D|20240101||ORU^R01||P|2.5');
    if (r.ok) throw new Error('expected an error');
    const ack = onTheWire(ackForParseError(r.error, { controlId: 'A9', timestamp: TS })!);
    expect([get(ack, 'MSA-1'), get(ack, 'MSA-2'), get(ack, 'ERR-2.1'), get(ack, 'ERR-2.3'), get(ack, 'ERR-3.1')]).toEqual(['AR', '', 'MSH', '10', '101']);
    const none = parseMessage('PID|1');
    if (none.ok) throw new Error('expected an error');
    expect(ackForParseError(none.error, { controlId: 'A10', timestamp: TS })).toBeNull();
  });
});

describe('hl7Timestamp', () => {
  it('formats UTC with its offset', () => {
    expect(hl7Timestamp(Date.UTC(2026, 2, 14, 9, 59, 0))).toBe(TS);
    expect(hl7Timestamp(Date.UTC(2001, 0, 2, 3, 4, 5, 999))).toBe('20010102030405+0000');
  });
});
