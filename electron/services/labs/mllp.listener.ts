import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { decodeHl7, encodeHl7, frameMllpBytes, MllpDeframer } from '../../../shared/hl7';
import type { Hl7Ingest, IngestOutcome } from './ingest';

/** At most this many messages share one commit, so a burst does not hold every ACK back for long. */
const MAX_GROUP = 64;
/** A connection that sent a message this recently is expected to send its next one soon. */
const ACTIVE_MS = 1000;
/** The longest a message waits for the other active connections' messages to share its commit. */
const GROUP_WAIT_MS = 2;

export interface MllpListenerOptions {
  port: number;
  /** Default 127.0.0.1: an interface facing other machines is a deliberate choice. */
  host?: string;
  maxMessageBytes?: number;
  /** Group commit: how long a sender counts as active after its last message (default 1 s). */
  activeMs?: number;
  /** Group commit: the longest a message waits for the other active senders' (default 2 ms). */
  groupWaitMs?: number;
  /** Called after each message is stored and acknowledged. */
  onMessage?: (outcome: IngestOutcome, peer: string) => void;
  /** Framing problems (bytes outside a frame, an oversize or cut-short frame). */
  onProblem?: (problem: string, peer: string) => void;
}

export interface MllpListener {
  port: number;
  close(): Promise<void>;
}

/**
 * A standalone MLLP listener: each framed message is stored and applied by `ingest`, and its ACK
 * is framed back on the same connection, in order. Messages arriving together are committed
 * together (group commit); an ACK is sent only after its message is committed.
 */
export async function startMllpListener(ingest: Hl7Ingest, options: MllpListenerOptions): Promise<MllpListener> {
  const sockets = new Set<Socket>();
  // Group commit: messages from several connections are stored with one commit, then each is
  // acknowledged. A commit costs the same for one message or for many (each dirty page is
  // encrypted and written once), so a commit waits for the connections that are busy sending:
  // as soon as every active connection has a message waiting (each sender waits for its ACK, so
  // none will send more), or after GROUP_WAIT_MS at most. One sender alone never waits.
  let pending: { socket: Socket; peer: string; raw: string; charset: string; charsetProblem?: string }[] = [];
  const lastSeen = new Map<Socket, number>();
  let timer: NodeJS.Timeout | null = null;
  let immediate = false;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    immediate = false;
    const batch = pending;
    if (batch.length === 0) return;
    pending = [];
    const outcomes = ingest.receiveMany(batch.map((m) => ({ raw: m.raw, source: `mllp:${m.peer}`, ...(m.charsetProblem !== undefined && { charsetProblem: m.charsetProblem }) })));
    batch.forEach((m, i) => {
      const outcome = outcomes[i] as IngestOutcome;
      // The ACK goes back in the character set the message came in.
      if (!m.socket.destroyed) m.socket.write(frameMllpBytes(encodeHl7(outcome.ackMessage, m.charset)));
      options.onMessage?.(outcome, m.peer);
    });
  };
  const allActiveWaiting = (now: number): boolean => {
    const waiting = new Set(pending.map((m) => m.socket));
    for (const [socket, at] of lastSeen) if (now - at <= (options.activeMs ?? ACTIVE_MS) && !waiting.has(socket)) return false;
    return true;
  };
  const enqueue = (socket: Socket, peer: string, payload: Uint8Array): void => {
    const now = performance.now();
    lastSeen.set(socket, now);
    const d = decodeHl7(payload);
    pending.push(d.ok ? { socket, peer, raw: d.text, charset: d.charset } : { socket, peer, raw: d.text, charset: 'windows-1252', charsetProblem: d.reason });
    if (pending.length >= MAX_GROUP) return flush();
    if (allActiveWaiting(now)) {
      // After this turn of the event loop, so frames already read from other sockets join too.
      if (!immediate) {
        immediate = true;
        setImmediate(flush);
      }
    } else timer ??= setTimeout(flush, options.groupWaitMs ?? GROUP_WAIT_MS);
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const deframer = new MllpDeframer({ maxMessageBytes: options.maxMessageBytes ?? 16 * 1024 * 1024 });
    socket.on('data', (chunk: Buffer) => {
      for (const ev of deframer.push(chunk)) {
        if (ev.type !== 'message') {
          options.onProblem?.(ev.type === 'oversize' ? `frame larger than ${ev.limit} bytes discarded` : `${ev.type}: ${ev.bytes} bytes discarded`, peer);
          continue;
        }
        enqueue(socket, peer, ev.payload);
      }
    });
    socket.on('error', (e) => options.onProblem?.(e.message, peer));
    socket.on('close', () => {
      for (const ev of deframer.end()) if (ev.type === 'incomplete') options.onProblem?.(`connection closed inside a frame: ${ev.bytes} bytes discarded`, peer);
      sockets.delete(socket);
      lastSeen.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearTimeout(timer);
        flush();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
