/**
 * A C-CDA reading thread (see ccda-read-pool.ts): reads a file from disk and parses it, off the
 * thread that writes the database. Bytes and model go back by structured clone (the bytes
 * transferred, not copied); a file that cannot be read or parsed goes back as its message.
 */
import { parentPort } from 'node:worker_threads';
import { readFileHere, type ReadReply, type ReadRequest } from './ccda-read-pool';

const port = parentPort;
if (!port) throw new Error('ccda-read.worker.ts runs only as a worker thread');

/** Bytes of their own (never a slice of a shared pool), so they can be transferred back. */
function ownBytes(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength ? new Uint8Array(b.buffer) : new Uint8Array(b);
}

port.on('message', (m: ReadRequest) => {
  const r = readFileHere(m.file);
  if (r.read === null) return port.postMessage({ id: m.id, ok: false, error: r.error } satisfies ReadReply);
  const bytes = ownBytes(r.read.bytes);
  port.postMessage({ id: m.id, ok: true, read: { ...r.read, bytes } } satisfies ReadReply, [bytes.buffer as ArrayBuffer]);
});
// Loaded: until now the pool read on the calling thread (starting a thread costs a batch's worth of time).
port.postMessage({ ready: true } satisfies ReadReply);
