import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createServer as createTlsServer } from 'node:tls';
import {
  buildAck,
  createSegment,
  decodeHl7,
  encodeHl7,
  frameMllpBytes,
  hl7Timestamp,
  MllpDeframer,
  parseMessage,
  type Hl7Message,
  writeMessage,
} from '../../../shared/hl7';
import type { Hl7Ingest, IngestOutcome } from './ingest';

/** At most this many messages share one commit, so a burst does not hold every ACK back for long. */
const MAX_GROUP = 64;
/** A connection that sent a message this recently is expected to send its next one soon. */
const ACTIVE_MS = 1000;
/** The longest a message waits for the other active connections' messages to share its commit. */
const GROUP_WAIT_MS = 2;

/** Safe defaults for the listener's limits (each can be set in MllpListenerOptions). */
export const MLLP_DEFAULTS = {
  /** A frame larger than this is answered AR and its connection closed. */
  maxMessageBytes: 16 * 1024 * 1024,
  /** A connection that sends no byte for this long is closed. */
  idleTimeoutMs: 60_000,
  /** Connections open at once; more are closed as they arrive. */
  maxConnections: 16,
} as const;

/** After an AR for an oversize frame, the sender has this long to read it before the socket is destroyed. */
const CLOSE_GRACE_MS = 2000;

export interface MllpListenerOptions {
  port: number;
  /**
   * Default 127.0.0.1. Any other address (0.0.0.0 included) needs `tls`: patient data does not
   * cross a network in the clear (the same rule as the clinic server's HTTP).
   */
  host?: string;
  /** MLLP over TLS: the PEM certificate (chain) and key, as text or bytes. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  maxMessageBytes?: number;
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** Group commit: how long a sender counts as active after its last message (default 1 s). */
  activeMs?: number;
  /** Group commit: the longest a message waits for the other active senders' (default 2 ms). */
  groupWaitMs?: number;
  /** Called after each message is stored and acknowledged. */
  onMessage?: (outcome: IngestOutcome, peer: string) => void;
  /** Framing problems (bytes outside a frame, an oversize or cut-short frame) and limits reached. */
  onProblem?: (problem: string, peer: string) => void;
}

/** Whether a listening address reaches this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/** Refuses a listening address facing other machines without TLS, saying what to do instead. */
export function checkMllpHost(host: string, tls: boolean): void {
  if (!tls && !isLoopbackHost(host)) {
    throw new Error(
      `refusing to receive HL7 over plain MLLP on ${host}: lab results would cross the network unencrypted. Give a certificate (--mllp-tls-cert FILE --mllp-tls-key FILE for MLLP over TLS), or listen on 127.0.0.1`,
    );
  }
}

/** The header an ACK is built from when a frame's MSH cannot be read. */
const NO_HEADER: Hl7Message = {
  delimiters: { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&', truncation: null },
  segments: [createSegment('MSH', ['|', '^~\\&', '', '', '', '', '', '', ['ACK'], '', 'P', '2.5'])],
};

let oversizeSeq = 0;

/** The AR for a frame over the limit, answered from its first bytes' MSH (when readable), in its character set. */
export function oversizeAck(head: Uint8Array, limit: number, now = Date.now()): Uint8Array {
  const d = decodeHl7(head);
  const msh = d.text.replace(/^\uFEFF/, '').split(/\r|\n/)[0] ?? '';
  const parsed = msh.startsWith('MSH') ? parseMessage(msh) : null;
  const original = parsed?.ok ? parsed.value : NO_HEADER;
  const reason = `message larger than ${limit} bytes, this listener's limit: refused, and the connection closed (send it in parts, or ask for a larger limit)`;
  const ack = buildAck(original, {
    code: 'AR',
    controlId: `ACK${now.toString(36).toUpperCase()}Z${(++oversizeSeq).toString(36).toUpperCase()}`,
    timestamp: hl7Timestamp(now),
    error: { reason, condition: '207' },
  });
  return frameMllpBytes(encodeHl7(writeMessage(ack), d.ok && parsed?.ok ? d.charset : 'windows-1252'));
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
  const host = options.host ?? '127.0.0.1';
  checkMllpHost(host, options.tls !== undefined);
  const limits = {
    maxMessageBytes: options.maxMessageBytes ?? MLLP_DEFAULTS.maxMessageBytes,
    idleTimeoutMs: options.idleTimeoutMs ?? MLLP_DEFAULTS.idleTimeoutMs,
    maxConnections: options.maxConnections ?? MLLP_DEFAULTS.maxConnections,
  };
  for (const [name, v] of Object.entries(limits))
    if (!Number.isInteger(v) || v < 1) throw new Error(`MLLP listener: ${name} must be a positive whole number (got ${v})`);
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
    const outcomes = ingest.receiveMany(
      batch.map((m) => ({ raw: m.raw, source: `mllp:${m.peer}`, ...(m.charsetProblem !== undefined && { charsetProblem: m.charsetProblem }) })),
    );
    batch.forEach((m, i) => {
      const outcome = outcomes[i] as IngestOutcome;
      // The ACK goes back in the character set the message came in.
      if (!m.socket.destroyed && m.socket.writable) m.socket.write(frameMllpBytes(encodeHl7(outcome.ackMessage, m.charset)));
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
  const onSocket = (socket: Socket): void => {
    sockets.add(socket);
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const deframer = new MllpDeframer({ maxMessageBytes: limits.maxMessageBytes });
    let refused = false;
    // Important: a connection that holds a half frame and goes quiet would keep its buffer forever.
    socket.setTimeout(limits.idleTimeoutMs, () => {
      options.onProblem?.(`no data for ${limits.idleTimeoutMs / 1000} s: connection closed`, peer);
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      // After an oversize frame: read and drop what still comes until the socket goes (reading
      // on, rather than a reset, lets the sender read its AR).
      if (refused) return;
      for (const ev of deframer.push(chunk)) {
        if (ev.type === 'oversize') {
          options.onProblem?.(`frame larger than ${ev.limit} bytes: answered AR, connection closed`, peer);
          refused = true;
          socket.end(oversizeAck(ev.head, ev.limit));
          setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
          return;
        }
        if (ev.type !== 'message') {
          options.onProblem?.(`${ev.type}: ${ev.bytes} bytes discarded`, peer);
          continue;
        }
        enqueue(socket, peer, ev.payload);
      }
    });
    socket.on('error', (e) => options.onProblem?.(e.message, peer));
    socket.on('close', () => {
      if (!refused)
        for (const ev of deframer.end())
          if (ev.type === 'incomplete') options.onProblem?.(`connection closed inside a frame: ${ev.bytes} bytes discarded`, peer);
      sockets.delete(socket);
      lastSeen.delete(socket);
    });
  };
  const server: Server = options.tls
    ? createTlsServer(
        { cert: options.tls.cert, key: options.tls.key, handshakeTimeout: Math.min(limits.idleTimeoutMs, 120_000), minVersion: 'TLSv1.2' },
        onSocket,
      )
    : createServer(onSocket);
  // Connections beyond the cap are closed by Node as they arrive (before any TLS handshake).
  server.maxConnections = limits.maxConnections;
  server.on('drop', (d?: { remoteAddress?: string; remotePort?: number }) =>
    options.onProblem?.(
      `connection refused: ${limits.maxConnections} connections already open (the limit)`,
      `${d?.remoteAddress ?? '?'}:${d?.remotePort ?? '?'}`,
    ),
  );
  if (options.tls)
    server.on('tlsClientError', (e: Error, s: Socket) => options.onProblem?.(`TLS: ${e.message}`, `${s.remoteAddress ?? '?'}:${s.remotePort ?? '?'}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
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
