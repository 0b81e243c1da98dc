/**
 * Reads C-CDA files on other threads for migration mode (`cairn import ccda`): parsing a document
 * costs as much CPU as writing its history, so while the database thread writes one batch, reading
 * threads parse the next. The writes, their order and their transactions are unchanged; only where
 * the parsing runs moves.
 *
 * Where worker threads cannot load the TypeScript sources (a bundled build), the pool reads on the
 * calling thread instead: slower, same result.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readDocument, type ReadDocument } from './ccda-read';

export interface ReadRequest {
  id: number;
  file: string;
}

export type ReadReply = { id: number; ok: true; read: ReadDocument } | { id: number; ok: false; error: string } | { ready: true };

/** One file read: its document, or the message saying why it could not be read. */
export type FileRead = { file: string; read: ReadDocument; error?: undefined } | { file: string; read: null; error: string };

// An eval'd bootstrap: tsx (a runtime dependency, which runs the CLI) loads the worker's TypeScript.
const BOOTSTRAP = `const { workerData } = require('node:worker_threads'); require(workerData.tsx).require(workerData.entry, workerData.entry);`;

/** Reading threads: one per spare core, at most two (beyond that the single writing thread is the limit). */
export function defaultReadThreads(): number {
  return Math.min(2, Math.max(1, availableParallelism() - 1));
}

/** The file, read and parsed on this thread (what a reading thread does, and the fallback). */
export function readFileHere(file: string): FileRead {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return { file, read: null, error: e instanceof Error ? e.message : String(e) };
  }
  try {
    return { file, read: readDocument(bytes) };
  } catch (e) {
    return { file, read: null, error: e instanceof Error ? e.message : String(e) };
  }
}

interface Pending {
  file: string;
  resolve: (r: FileRead) => void;
}

export class CcdaReadPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load = new Map<Worker, number>();
  /** Threads that have loaded the reader (a file is read on the calling thread until one has). */
  private readonly ready = new Set<Worker>();
  private nextId = 1;
  private broken: string | null = null;

  /** `threads` reading threads (0: read on the calling thread). */
  constructor(threads = defaultReadThreads()) {
    const here = fileURLToPath(import.meta.url);
    if (!here.endsWith('.ts') || threads <= 0) return;
    const entry = here.replace(/ccda-read-pool\.ts$/, 'ccda-read.worker.ts');
    const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
    for (let i = 0; i < threads; i++) {
      const w = new Worker(BOOTSTRAP, { eval: true, workerData: { tsx, entry } });
      w.on('message', (m: ReadReply) => this.settle(w, m));
      w.on('error', (e) => this.fail(`a C-CDA reading thread stopped: ${e.message}`));
      // Ended some other way (not by close()): its files are read here.
      w.on('exit', () => this.fail('a C-CDA reading thread exited'));
      w.unref();
      this.workers.push(w);
      this.load.set(w, 0);
    }
  }

  /**
   * Settles once a reading thread has loaded the reader (with how many have), or with 0 when the
   * calling thread reads (no threads, or they failed).
   */
  loaded(): Promise<number> {
    if (this.workers.length === 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.ready.size > 0) resolve(this.ready.size);
        else if (this.broken !== null) resolve(0);
        else setTimeout(check, 10);
      };
      check();
    });
  }

  /** How many threads read (0: the calling thread does). */
  get threads(): number {
    return this.workers.length;
  }

  /** Reads and parses `file`; never rejects (a file that cannot be read settles with its message). */
  read(file: string): Promise<FileRead> {
    if (this.ready.size === 0 || this.broken !== null) return Promise.resolve(readFileHere(file));
    const id = this.nextId++;
    // The least busy thread (files differ in size; round-robin would queue behind a large one).
    let w: Worker | null = null;
    for (const c of this.ready) if (w === null || this.load.get(c)! < this.load.get(w)!) w = c;
    if (w === null) return Promise.resolve(readFileHere(file));
    this.load.set(w, this.load.get(w)! + 1);
    return new Promise((resolve) => {
      this.pending.set(id, { file, resolve });
      w.ref();
      w.postMessage({ id, file } satisfies ReadRequest);
    });
  }

  private settle(w: Worker, m: ReadReply): void {
    if ('ready' in m) {
      this.ready.add(w);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    const left = this.load.get(w)! - 1;
    this.load.set(w, left);
    if (left === 0) w.unref();
    if (m.ok) p.resolve({ file: p.file, read: m.read });
    else p.resolve({ file: p.file, read: null, error: m.error });
  }

  /** A thread died: what it had in hand is read here instead, and so is everything after. */
  private fail(message: string): void {
    if (this.broken !== null) return;
    this.broken = message;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve(readFileHere(p.file));
    }
  }

  async close(): Promise<void> {
    this.broken ??= 'closed';
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
