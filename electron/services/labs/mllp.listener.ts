import { createServer, type Server, type Socket } from 'node:net';
import { frameMllp, MllpDeframer } from '../../../shared/hl7';
import type { Hl7Ingest, IngestOutcome } from './ingest';

/** At most this many messages share one commit, so a burst does not hold every ACK back for long. */
const MAX_GROUP = 64;

export interface MllpListenerOptions {
  port: number;
  /** Default 127.0.0.1: an interface facing other machines is a deliberate choice. */
  host?: string;
  maxMessageBytes?: number;
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
  const decoder = new TextDecoder('utf-8');
  // Group commit: messages that arrive in the same turn of the event loop (from several
  // connections, or several frames in one chunk) are stored with one commit, then acknowledged.
  // An fsync per message would otherwise cap the whole listener at the disk's commit rate.
  let pending: { socket: Socket; peer: string; raw: string }[] = [];
  const flush = (): void => {
    const batch = pending;
    if (batch.length === 0) return;
    pending = [];
    const outcomes = ingest.receiveMany(batch.map((m) => ({ raw: m.raw, source: `mllp:${m.peer}` })));
    batch.forEach((m, i) => {
      const outcome = outcomes[i] as IngestOutcome;
      if (!m.socket.destroyed) m.socket.write(frameMllp(outcome.ackMessage));
      options.onMessage?.(outcome, m.peer);
    });
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
        if (pending.length === 0) setImmediate(flush);
        pending.push({ socket, peer, raw: decoder.decode(ev.payload) });
        if (pending.length >= MAX_GROUP) flush();
      }
    });
    socket.on('error', (e) => options.onProblem?.(e.message, peer));
    socket.on('close', () => {
      for (const ev of deframer.end()) if (ev.type === 'incomplete') options.onProblem?.(`connection closed inside a frame: ${ev.bytes} bytes discarded`, peer);
      sockets.delete(socket);
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
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
