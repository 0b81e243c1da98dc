import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A file going to or coming from a clearinghouse. */
export interface X12File {
  fileName: string;
  text: string;
}

/**
 * How X12 files reach a clearinghouse and how replies come back. Small-practice clearinghouses offer
 * SFTP folders (the folder-drop adapter, with the practice's own SFTP sync); a real-time adapter
 * (HTTP, CORE) implements the same two calls.
 */
export interface ClearinghouseAdapter {
  readonly name: string;
  send(file: X12File): Promise<void>;
  /** Replies not yet taken; each is taken once (moved aside). */
  receive(): Promise<X12File[]>;
}

/** Writes outbound files whole (temp name, then rename) and takes inbound ones by moving them to `done/`. */
export class FolderDropAdapter implements ClearinghouseAdapter {
  readonly name = 'folder-drop';

  constructor(
    private readonly outbound: string,
    private readonly inbound: string,
  ) {}

  send(file: X12File): Promise<void> {
    mkdirSync(this.outbound, { recursive: true, mode: 0o700 });
    const tmp = join(this.outbound, `.${file.fileName}.part`);
    // Important: a clearinghouse's sync picks up any file it sees; a half-written one must never be visible.
    writeFileSync(tmp, file.text, { mode: 0o600 });
    renameSync(tmp, join(this.outbound, file.fileName));
    return Promise.resolve();
  }

  receive(): Promise<X12File[]> {
    mkdirSync(this.inbound, { recursive: true, mode: 0o700 });
    const names = readdirSync(this.inbound, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    return Promise.resolve(names.map((fileName) => ({ fileName, text: readFileSync(join(this.inbound, fileName), 'latin1') })));
  }

  /** After a file was imported it moves to done/; a refused one to refused/, to be looked at and dropped in again. */
  taken(fileName: string, imported: boolean): void {
    const to = join(this.inbound, imported ? 'done' : 'refused');
    mkdirSync(to, { recursive: true, mode: 0o700 });
    renameSync(join(this.inbound, fileName), join(to, fileName));
  }
}
