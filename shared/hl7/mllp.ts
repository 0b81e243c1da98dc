/**
 * MLLP (Minimal Lower Layer Protocol) framing: each message travels as
 * `<VT> message <FS><CR>` (0x0B … 0x1C 0x0D). Pure functions and a pure state machine: no sockets.
 */

/** Start of a frame (vertical tab). */
export const MLLP_START = 0x0b;
/** End of a frame (file separator), followed by CR. */
export const MLLP_END = 0x1c;
/** The carriage return after FS. */
export const MLLP_CR = 0x0d;

/** Frames a message given as text. */
export function frameMllp(message: string): string {
  return `\u000b${message}\u001c\r`;
}

/** Frames a message given as bytes (e.g. UTF-8). */
export function frameMllpBytes(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + 3);
  out[0] = MLLP_START;
  out.set(message, 1);
  out[message.length + 1] = MLLP_END;
  out[message.length + 2] = MLLP_CR;
  return out;
}

/** What the deframer found in the bytes pushed into it. */
export type MllpEvent =
  /** A whole message, without its framing bytes. */
  | { type: 'message'; payload: Uint8Array }
  /** Bytes outside any frame, discarded (CR and LF between frames are not counted). */
  | { type: 'garbage'; bytes: number }
  /**
   * A frame grew beyond the limit: it is discarded up to its FS. `head` is its first bytes (up to
   * HEAD_BYTES), enough for its MSH, so the receiver can answer it (AR naming the limit).
   */
  | { type: 'oversize'; limit: number; head: Uint8Array }
  /** A frame was cut short, by a new VT or by the end of the stream; its bytes are discarded. */
  | { type: 'incomplete'; bytes: number };

/** Limits for `MllpDeframer`. */
export interface MllpDeframerOptions {
  /** Largest message accepted, in bytes (framing excluded). Default 16 MiB. */
  maxMessageBytes?: number;
}

type State = 'outside' | 'inside' | 'discarding';

/** How much of an oversize frame's beginning its event keeps. */
const HEAD_BYTES = 1024;

/**
 * Turns a stream of chunks into messages. Handles several messages in one chunk, a message split
 * across chunks (even between FS and CR), bytes before the first VT, and refuses frames larger
 * than `maxMessageBytes` without buffering them. Memory is bounded by that limit.
 *
 * A lone FS ends a frame too (some senders omit the CR); a VT inside a frame starts a new one and
 * reports the old one as incomplete.
 */
export class MllpDeframer {
  private readonly max: number;
  private state: State = 'outside';
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(options: MllpDeframerOptions = {}) {
    this.max = options.maxMessageBytes ?? 16 * 1024 * 1024;
  }

  /** Feeds the next chunk; returns what it completed, in order. */
  push(chunk: Uint8Array): MllpEvent[] {
    const events: MllpEvent[] = [];
    let garbage = 0;
    let k = 0;
    while (k < chunk.length) {
      if (this.state === 'outside') {
        const b = chunk[k]!;
        k++;
        if (b === MLLP_START) {
          if (garbage > 0) events.push({ type: 'garbage', bytes: garbage });
          garbage = 0;
          this.state = 'inside';
        } else if (b !== MLLP_CR && b !== 0x0a) garbage++;
        continue;
      }
      // Inside a frame (kept or discarded): find the next FS or VT in this chunk.
      let end = k;
      while (end < chunk.length && chunk[end] !== MLLP_END && chunk[end] !== MLLP_START) end++;
      if (this.state === 'inside') this.keep(chunk.subarray(k, end), events);
      if (end === chunk.length) break;
      if (chunk[end] === MLLP_START) {
        if (this.state === 'inside') events.push({ type: 'incomplete', bytes: this.size });
        this.reset();
        this.state = 'inside';
      } else {
        if (this.state === 'inside') events.push({ type: 'message', payload: this.take() });
        this.reset();
        this.state = 'outside';
      }
      k = end + 1;
    }
    if (garbage > 0) events.push({ type: 'garbage', bytes: garbage });
    return events;
  }

  /** The stream ended: reports a frame left open. */
  end(): MllpEvent[] {
    const events: MllpEvent[] = this.state === 'inside' ? [{ type: 'incomplete', bytes: this.size }] : [];
    this.reset();
    this.state = 'outside';
    return events;
  }

  private keep(bytes: Uint8Array, events: MllpEvent[]): void {
    if (bytes.length === 0) return;
    if (this.size + bytes.length > this.max) {
      const head = new Uint8Array(Math.min(HEAD_BYTES, this.size + bytes.length));
      let at = 0;
      for (const p of [...this.parts, bytes]) {
        if (at >= head.length) break;
        const part = p.subarray(0, head.length - at);
        head.set(part, at);
        at += part.length;
      }
      events.push({ type: 'oversize', limit: this.max, head });
      this.reset();
      this.state = 'discarding';
      return;
    }
    // Important: copy (a Node Buffer's slice() would not), as the caller may reuse its buffer.
    this.parts.push(new Uint8Array(bytes));
    this.size += bytes.length;
  }

  private take(): Uint8Array {
    if (this.parts.length === 1) return this.parts[0]!;
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
  }
}
