import { HL7_FIXTURES } from '../../../helpers/hl7-fixtures';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameMllp, frameMllpBytes, MllpDeframer, type MllpEvent, parseMessageOrThrow, writeMessage } from '../../../../shared/hl7';

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const MSG_A = 'MSH|^~\\&|A|B|C|D|20240101||ADT^A01^ADT_A01|1|P|2.5\rPID|1||123||Müller^Zoë\r';
const MSG_B = 'MSH|^~\\&|A|B|C|D|20240101||ADT^A08^ADT_A08|2|P|2.5\rPID|1||456\r';

/** Messages (decoded) and the other events, from pushing `chunks` then ending. */
function run(chunks: Uint8Array[], max?: number): { messages: string[]; others: MllpEvent[] } {
  const d = new MllpDeframer(max === undefined ? {} : { maxMessageBytes: max });
  const events = [...chunks.flatMap((c) => d.push(c)), ...d.end()];
  return {
    messages: events.flatMap((e) => (e.type === 'message' ? [dec.decode(e.payload)] : [])),
    others: events.filter((e) => e.type !== 'message'),
  };
}

describe('framing', () => {
  it('wraps text and bytes in <VT> … <FS><CR>', () => {
    expect(frameMllp('MSH|x\r')).toBe('\u000bMSH|x\r\u001c\r');
    expect([...frameMllpBytes(new Uint8Array([0x41, 0x42]))]).toEqual([0x0b, 0x41, 0x42, 0x1c, 0x0d]);
    expect(frameMllpBytes(bytes(MSG_A))).toEqual(bytes(frameMllp(MSG_A)));
  });
});

describe('MllpDeframer', () => {
  const wireA = frameMllpBytes(bytes(MSG_A));
  const wireB = frameMllpBytes(bytes(MSG_B));

  it('one message in one chunk', () => {
    expect(run([wireA])).toEqual({ messages: [MSG_A], others: [] });
  });

  it('a message split across two chunks at every position (inside UTF-8 characters, between FS and CR)', () => {
    for (let cut = 0; cut <= wireA.length; cut++) {
      expect(run([wireA.subarray(0, cut), wireA.subarray(cut)])).toEqual({ messages: [MSG_A], others: [] });
    }
  });

  it('a message one byte at a time', () => {
    expect(run([...wireA].map((b) => new Uint8Array([b])))).toEqual({ messages: [MSG_A], others: [] });
  });

  it('two messages in one chunk, and a chunk that ends one message and begins the next', () => {
    const both = new Uint8Array([...wireA, ...wireB]);
    expect(run([both]).messages).toEqual([MSG_A, MSG_B]);
    expect(run([both.subarray(0, wireA.length + 10), both.subarray(wireA.length + 10)]).messages).toEqual([MSG_A, MSG_B]);
  });

  it('garbage before <VT> is discarded and reported; CR/LF between frames are not garbage', () => {
    const r = run([bytes('hello'), new Uint8Array([...bytes('xx'), ...wireA, 0x0d, 0x0a, ...wireB])]);
    expect(r.messages).toEqual([MSG_A, MSG_B]);
    expect(r.others).toEqual([
      { type: 'garbage', bytes: 5 },
      { type: 'garbage', bytes: 2 },
    ]);
  });

  it('refuses an oversize frame without buffering it, then reads the next message', () => {
    const big = frameMllpBytes(bytes(`MSH|${'x'.repeat(5000)}`));
    const r = run([big.subarray(0, 2000), big.subarray(2000), wireA], 1000);
    expect(r.messages).toEqual([MSG_A]);
    expect(r.others).toEqual([{ type: 'oversize', limit: 1000, head: expect.any(Uint8Array) as Uint8Array }]);
    // A message of exactly the limit passes.
    expect(run([wireA], bytes(MSG_A).length).messages).toEqual([MSG_A]);
    const cut = run([wireA], bytes(MSG_A).length - 1).others;
    expect(cut).toEqual([{ type: 'oversize', limit: bytes(MSG_A).length - 1, head: expect.any(Uint8Array) as Uint8Array }]);
    // The frame's beginning comes with it, so the receiver can answer it from its MSH.
    expect(new TextDecoder().decode((cut[0] as { head: Uint8Array }).head)).toBe(MSG_A.slice(0, Math.min(1024, bytes(MSG_A).length)));
  });

  it('a frame cut short by a new <VT>, or by the end of the stream, is reported incomplete', () => {
    const cut = wireA.subarray(0, 20);
    expect(run([cut, wireB])).toEqual({ messages: [MSG_B], others: [{ type: 'incomplete', bytes: 19 }] });
    expect(run([wireB, cut])).toEqual({ messages: [MSG_B], others: [{ type: 'incomplete', bytes: 19 }] });
  });

  it('accepts a lone <FS> as the end of a frame', () => {
    expect(run([new Uint8Array([0x0b, ...bytes(MSG_A), 0x1c, 0x0b, ...bytes(MSG_B), 0x1c])]).messages).toEqual([MSG_A, MSG_B]);
  });

  it('copies what it keeps: the caller may reuse its buffer', () => {
    const d = new MllpDeframer();
    const chunk = new Uint8Array(wireA.subarray(0, 30));
    expect(d.push(chunk)).toEqual([]);
    chunk.fill(0x21);
    const events = d.push(wireA.subarray(30));
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.type === 'message' && dec.decode(e.payload)).toBe(MSG_A);
  });

  it('every fixture, framed and streamed in random chunk sizes, comes out whole and parses the same', () => {
    const texts = readdirSync(HL7_FIXTURES)
      .filter((f) => f.endsWith('.hl7'))
      .sort()
      .map((f) => writeMessage(parseMessageOrThrow(readFileSync(join(HL7_FIXTURES, f), 'utf8'))));
    const stream = new Uint8Array(texts.flatMap((t) => [...frameMllpBytes(bytes(t))]));
    let seed = 42;
    const next = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 700) + 1;
    const chunks: Uint8Array[] = [];
    for (let k = 0; k < stream.length;) {
      const n = next();
      chunks.push(stream.subarray(k, k + n));
      k += n;
    }
    const r = run(chunks);
    expect(r.others).toEqual([]);
    expect(r.messages).toEqual(texts);
  });
});
