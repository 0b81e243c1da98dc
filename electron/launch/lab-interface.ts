import { readFileSync } from 'node:fs';
import { startCheckpointer } from '../services/db/checkpointer';
import type { Store } from '../services/db/open';
import { Hl7Ingest } from '../services/labs/ingest';
import { checkMllpHost, startMllpListener, type MllpListener, type MllpListenerOptions } from '../services/labs/mllp.listener';
import { createRepos } from '../services/repos';
import { enrollThisDevice, inProcessSyncLoop, syncConfig, type FetchLike } from '../services/sync';
import type { RunningServer } from '../server/server';

/** The MLLP listener's address, TLS and limits, as the command line or clinic-server.json gives them. */
export type MllpSettings = Pick<MllpListenerOptions, 'host' | 'tls' | 'maxConnections' | 'idleTimeoutMs' | 'maxMessageBytes'>;

/**
 * The listener's TLS files read and its host checked (a non-loopback host needs TLS), for the
 * command line's flags and clinic-server.json alike; throws a one-line message.
 */
export function mllpAddress(host: string | undefined, tlsFiles: { cert: string; key: string } | undefined): Pick<MllpSettings, 'host' | 'tls'> {
  let tls: MllpSettings['tls'];
  if (tlsFiles) {
    try {
      tls = { cert: readFileSync(tlsFiles.cert), key: readFileSync(tlsFiles.key) };
    } catch (e) {
      throw new Error(`cannot read the MLLP certificate or key: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  checkMllpHost(host ?? '127.0.0.1', tls !== undefined);
  return { ...(host !== undefined && { host }), ...(tls && { tls }) };
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
