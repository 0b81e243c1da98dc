/**
 * A whole migration run (`cairn import ccda DIR|FILE…`): files are read and parsed on reading
 * threads (CcdaReadPool) one batch ahead of the database thread, which imports each batch in one
 * commit (CcdaMigration.batch), while WAL checkpoints run on a thread of their own. Lines come out
 * in the files' order, each batch after its commit, so a printed line is a kept import.
 */
import { setImmediate } from 'node:timers/promises';
import { startCheckpointer } from '../db/checkpointer';
import type { Store } from '../db/open';
import { CcdaReadPool, type FileRead } from './ccda-read-pool';
import type { CcdaMigration, MigrationLine } from './ccda-migrate';

/** Files imported per commit (see CcdaMigration.batch). */
export const MIGRATION_BATCH_FILES = 25;

export interface MigrationRunOptions {
  /**
   * Reading threads started earlier (the CLI starts them before it unlocks the database, so they
   * load while the key is derived); the caller closes them. Default: a pool of `readThreads` for
   * this run, closed when it ends.
   */
  pool?: CcdaReadPool;
  /** Reading threads (default: one per spare core, at most two; 0 reads on this thread). */
  readThreads?: number;
  batchFiles?: number;
  /** Told of each batch's lines once the batch is committed. */
  onLines?: (lines: MigrationLine[]) => void;
  /** A background checkpoint that failed (the run goes on; the writer checkpoints itself again). */
  onCheckpointError?: (message: string) => void;
}

export interface MigrationRunStats {
  lines: MigrationLine[];
  readThreads: number;
}

export async function runMigration(store: Store, migration: CcdaMigration, files: readonly string[], o: MigrationRunOptions = {}): Promise<MigrationRunStats> {
  const size = o.batchFiles ?? MIGRATION_BATCH_FILES;
  const pool = o.pool ?? new CcdaReadPool(o.readThreads);
  const checkpointer = startCheckpointer(store, { onError: o.onCheckpointError });
  const lines: MigrationLine[] = [];
  const readBatch = (at: number): Promise<FileRead[]> => Promise.all(files.slice(at, at + size).map((f) => pool.read(f)));
  try {
    let next = files.length > 0 ? readBatch(0) : null;
    for (let at = 0; next !== null; at += size) {
      const reads = await next;
      // A turn of the event loop, so a reading thread that has just started is heard from (see CcdaReadPool).
      await setImmediate();
      // The next batch is parsed on the reading threads while this one is written here.
      next = at + size < files.length ? readBatch(at + size) : null;
      const batch = migration.batch(() =>
        reads.map((r) =>
          r.read === null
            ? { file: r.file, patientId: null, patient: null, counts: null, skipped: [], error: r.error }
            : migration.importDocument(r.file, r.read),
        ),
      );
      lines.push(...batch);
      o.onLines?.(batch);
    }
    return { lines, readThreads: pool.threads };
  } finally {
    if (o.pool === undefined) await pool.close();
    await checkpointer.stop();
  }
}
