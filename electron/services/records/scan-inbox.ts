import { existsSync, mkdirSync, watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DOCUMENT_MAX_BYTES, tooLargeMessage } from '../../../shared/domain/records';
import type { Actor } from '../repos/writer';
import { typeOfUpload } from './document-sniff';
import type { DocumentsService } from './documents.service';

/** Where kept files go (the same volume: a rename, never a copy). */
export const FILED_DIR = 'filed-into-cairn';
/** Where refused files go, each with `<name>.txt` saying why. */
export const REFUSED_DIR = 'refused';

export interface ScanInboxOptions {
  dir: string;
  documents: DocumentsService;
  /**
   * Who the documents are recorded as (the signed-in user on a desktop, `cli:documents` from the
   * command line); null: nobody may write now, and the files wait in the folder.
   */
  actor: () => Actor | null;
  /** Between the two looks that prove a file is no longer being written (default 1 s). */
  settleMs?: number;
  /** The watcher's polling interval, for folders fs.watch does not report on (network shares; default 3 s). */
  pollMs?: number;
  /**
   * How long an empty file may stay empty before it is refused (default 10 minutes): scanners
   * create the file first and fill it, but one left empty is a scan or fax that never arrived.
   */
  emptyGraceMs?: number;
  /** One line per file kept or refused, and scan errors. */
  onFile?: (outcome: ScanOutcome) => void;
  onError?: (message: string) => void;
}

export type ScanOutcome = { file: string; documentId: string; status: 'added' } | { file: string; status: 'refused'; reason: string };

export interface ScanResult {
  added: number;
  refused: { file: string; reason: string }[];
  /** Files seen still changing (being written): taken at a later look. */
  changing: number;
}

interface Look {
  size: number;
  mtimeMs: number;
}

/** Files scanners and copy tools write while they work: never taken. */
function isPartial(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || /\.(tmp|part|partial|crdownload|download|lock)$/i.test(name);
}

const EMPTY_GRACE_MS = 10 * 60_000;

function emptyMessage(graceMs: number): string {
  const minutes = Math.max(1, Math.round(graceMs / 60_000));
  return `the file is empty (0 bytes) and stayed empty for ${minutes} minute${minutes === 1 ? '' : 's'}: the scan or fax never arrived in it. Scan the page again or ask the sender to fax it again`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The scan/fax inbox: a folder the clinic's scanner or fax software saves into. Each PDF or image
 * found there becomes an unfiled document (staff pick the patient: nothing is attached to a guessed
 * one) and the file moves to `filed-into-cairn/`; anything else moves to `refused/` with a note.
 *
 * Important: a file is taken only once its size and modification time are the same across two
 * looks `settleMs` apart, so a fax still arriving is never kept half-written.
 */
export class ScanInbox {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<ScanResult> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly o: ScanInboxOptions) {}

  get dir(): string {
    return this.o.dir;
  }

  /** One pass over the folder (two looks); a pass already running is joined, then run once more. */
  async scanOnce(): Promise<ScanResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Watches the folder (fs.watch, and a poll for where it reports nothing) and scans at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const kick = (): void => {
      if (this.stopped) return;
      this.scanOnce().then(
        () => {
          if (this.again && !this.stopped) {
            this.again = false;
            kick();
          }
        },
        (e: unknown) => this.o.onError?.(`the scan folder ${this.o.dir} could not be read: ${e instanceof Error ? e.message : String(e)}`),
      );
    };
    try {
      this.watcher = watch(this.o.dir, { persistent: false }, () => kick());
      this.watcher.on('error', () => {
        // The folder went away or the share dropped: the poll keeps trying.
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // fs.watch is not available for this folder (some network shares): the poll alone serves.
      this.watcher = null;
    }
    this.timer = setInterval(kick, this.o.pollMs ?? 3000);
    this.timer.unref();
    kick();
  }

  /** Stops watching and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async look(): Promise<Map<string, Look>> {
    const out = new Map<string, Look>();
    for (const e of await readdir(this.o.dir, { withFileTypes: true })) {
      if (!e.isFile() || isPartial(e.name)) continue;
      try {
        const s = await stat(join(this.o.dir, e.name));
        out.set(e.name, { size: s.size, mtimeMs: s.mtimeMs });
      } catch {
        // Gone between the listing and the look (moved by someone else): nothing to do.
      }
    }
    return out;
  }

  private async pass(): Promise<ScanResult> {
    const result: ScanResult = { added: 0, refused: [], changing: 0 };
    const first = await this.look();
    if (first.size === 0) return result;
    await sleep(this.o.settleMs ?? 1000);
    const second = await this.look();
    for (const [name, a] of first) {
      const b = second.get(name);
      if (!b) continue;
      // Empty files are still being written by most scanners: taken once they have content, refused
      // once they have stayed empty too long (else one would wait in the folder, unseen, forever).
      const grace = this.o.emptyGraceMs ?? EMPTY_GRACE_MS;
      if (b.size === 0 && b.mtimeMs === a.mtimeMs && Date.now() - b.mtimeMs >= grace) {
        await this.refuse(name, emptyMessage(grace), result).catch((e: unknown) => this.o.onError?.(`${name}: ${e instanceof Error ? e.message : String(e)}`));
        continue;
      }
      if (b.size !== a.size || b.mtimeMs !== a.mtimeMs || b.size === 0) {
        result.changing++;
        continue;
      }
      const actor = this.o.actor();
      if (!actor) return result;
      await this.take(name, b.size, actor, result);
    }
    return result;
  }

  private async take(name: string, size: number, actor: Actor, result: ScanResult): Promise<void> {
    const path = join(this.o.dir, name);
    try {
      if (size > DOCUMENT_MAX_BYTES) return await this.refuse(name, tooLargeMessage(size), result);
      const bytes = await readFile(path);
      const t = typeOfUpload(name, bytes);
      if ('refusal' in t) return await this.refuse(name, t.refusal, result);
      const doc = this.o.documents.scanned(actor, { fileName: name, bytes, source: `Scanner/fax folder: ${name}` });
      await this.moveTo(FILED_DIR, name);
      result.added++;
      this.o.onFile?.({ file: name, documentId: doc.id, status: 'added' });
    } catch (e) {
      // A file the fax software still holds open, a full disk: it stays and is tried at the next look.
      this.o.onError?.(`${name} in the scan folder was not taken yet: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async refuse(name: string, reason: string, result: ScanResult): Promise<void> {
    const moved = await this.moveTo(REFUSED_DIR, name);
    await writeFile(`${moved}.txt`, `${name} was not put into Cairn's unfiled documents: ${reason}\n`);
    result.refused.push({ file: name, reason });
    this.o.onFile?.({ file: name, status: 'refused', reason });
  }

  /** Moves a file into a subfolder, never over another file of the same name; returns where it went. */
  private async moveTo(sub: string, name: string): Promise<string> {
    const dir = join(this.o.dir, sub);
    mkdirSync(dir, { recursive: true });
    let target = join(dir, name);
    for (let n = 2; existsSync(target) || existsSync(`${target}.txt`); n++) {
      const ext = extname(name);
      target = join(dir, `${name.slice(0, name.length - ext.length)} (${n})${ext}`);
    }
    await rename(join(this.o.dir, name), target);
    return target;
  }
}
