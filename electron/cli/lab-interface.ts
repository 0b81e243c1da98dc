import { readFileSync } from 'node:fs';
import { startCheckpointer } from '../services/db/checkpointer';
import type { Store } from '../services/db/open';
import { Hl7Ingest } from '../services/labs/ingest';
import { checkMllpHost, MLLP_DEFAULTS, startMllpListener, type MllpListener, type MllpListenerOptions } from '../services/labs/mllp.listener';
import { createRepos } from '../services/repos';
import { enrollThisDevice, inProcessSyncLoop, syncConfig, type FetchLike } from '../services/sync';
import type { RunningServer } from '../server/server';

/** The MLLP listener's address, TLS and limits, as the command line gives them. */
export type MllpSettings = Pick<MllpListenerOptions, 'host' | 'tls' | 'maxConnections' | 'idleTimeoutMs' | 'maxMessageBytes'>;

export const MLLP_OPTIONS_HELP = `TLS-CERT/TLS-KEY: PEM files for MLLP over TLS, required for any host but loopback. Limits:
      max-connections (default ${MLLP_DEFAULTS.maxConnections}), idle-timeout seconds without a byte before a
      connection is closed (default ${MLLP_DEFAULTS.idleTimeoutMs / 1000}), max-message-bytes (default ${MLLP_DEFAULTS.maxMessageBytes}; a
      larger frame is answered AR and its connection closed)`;

/**
 * Reads `--<prefix>host`, `--<prefix>tls-cert/-key`, `--<prefix>max-connections`,
 * `--<prefix>idle-timeout` (seconds) and `--<prefix>max-message-bytes`; throws a one-line message
 * (via `fail`) for a bad value, and for a non-loopback host without TLS before anything starts.
 */
export function mllpSettings(v: Record<string, string | boolean | undefined>, prefix: string, fail: (message: string) => Error): MllpSettings {
  const str = (k: string): string | undefined => (typeof v[prefix + k] === 'string' ? (v[prefix + k] as string) : undefined);
  const whole = (k: string, scale = 1): number | undefined => {
    const raw = str(k);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n * scale) || n < 1) throw fail(`invalid --${prefix}${k} "${raw}": a whole number of at least 1`);
    return n * scale;
  };
  const cert = str('tls-cert');
  const key = str('tls-key');
  if (Boolean(cert) !== Boolean(key)) throw fail(`give both --${prefix}tls-cert and --${prefix}tls-key`);
  let tls: MllpSettings['tls'];
  if (cert && key) {
    try {
      tls = { cert: readFileSync(cert), key: readFileSync(key) };
    } catch (e) {
      throw fail(`cannot read the MLLP certificate or key: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const host = str('host');
  try {
    checkMllpHost(host ?? '127.0.0.1', tls !== undefined);
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
  const maxConnections = whole('max-connections');
  const idleTimeoutMs = whole('idle-timeout', 1000);
  const maxMessageBytes = whole('max-message-bytes');
  return {
    ...(host !== undefined && { host }),
    ...(tls && { tls }),
    ...(maxConnections !== undefined && { maxConnections }),
    ...(idleTimeoutMs !== undefined && { idleTimeoutMs }),
    ...(maxMessageBytes !== undefined && { maxMessageBytes }),
  };
}

export interface LabInterface {
  mllpPort: number;
  close(): Promise<void>;
}

/**
 * The clinic server's MLLP listener. Results must reach every device the same way every other
 * change does, so the listener runs as a device of the clinic: its own encrypted database
 * (enrolled with this server on first start), the same ingest the standalone `cairn hl7 listen`
 * uses, and the normal sync to push what it stored (and to pull the charts it matches against).
 * The actor of everything it writes is the operator `cli:hl7`.
 */
export async function startLabInterface(
  server: RunningServer,
  store: Store,
  o: { port: number; mllp?: MllpSettings; fetchImpl?: FetchLike; onMessage?: (line: string) => void; onProblem?: (line: string) => void },
): Promise<LabInterface> {
  const repos = createRepos(store);
  if (!syncConfig(store.sqlite)) {
    // An operator device: what it stores is written as the operator `cli:hl7`.
    const { code } = await server.sync.createEnrollmentCode('Lab interface (MLLP)', 1, { operator: true });
    await enrollThisDevice(store, repos, { serverUrl: server.url, code, deviceName: 'Lab interface (MLLP)', ...(o.fetchImpl && { fetchImpl: o.fetchImpl }) });
  }
  const loop = inProcessSyncLoop(store, repos, () => 'cli:hl7', { intervalMs: 10_000, ...(o.fetchImpl && { fetchImpl: o.fetchImpl }) });
  // Take the clinic's charts first, so the first message already matches against them.
  const first = await loop.syncNow();
  if (first.error) throw new Error(`the lab interface could not sync with its clinic server: ${first.error.message}`);
  loop.start();
  // Checkpoints run on another core, so the listener's thread only parses, stores and commits.
  const checkpointer = startCheckpointer(store, { onError: (m) => o.onMessage?.(JSON.stringify({ checkpointError: m })) });
  let listener: MllpListener;
  try {
    listener = await startMllpListener(new Hl7Ingest(repos), {
      port: o.port,
      ...o.mllp,
      onProblem: (problem, peer) => o.onProblem?.(JSON.stringify({ mllpProblem: problem, peer })),
      onMessage: (outcome) => {
        o.onMessage?.(JSON.stringify({ mllp: outcome.controlId ?? null, ack: outcome.ack, queued: outcome.queued, results: outcome.results }));
        // Push what was just stored at once rather than at the next tick.
        void loop.syncNow();
      },
    });
  } catch (e) {
    // Important: nothing of the interface may outlive it (the caller closes the store next).
    loop.stop();
    await checkpointer.stop();
    throw e;
  }
  return {
    mllpPort: listener.port,
    async close() {
      loop.stop();
      await listener.close();
      await loop.syncNow();
      await checkpointer.stop();
    },
  };
}
