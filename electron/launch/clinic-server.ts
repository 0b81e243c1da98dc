import { readFileSync } from 'node:fs';
import { startServer, type RunningServer, type ServerOptions } from '../server/server';
import { clearRunningInfo, newAdminToken, writeRunningInfo } from '../server/server-info';
import type { Store } from '../services/db/open';
import { fetchTrusting } from '../services/sync';
import { startLabInterface, type LabInterface, type MllpSettings } from './lab-interface';

/** The lab interface (HL7 v2 over MLLP) the clinic server may run beside it. */
export interface LabInterfaceOptions {
  /** The MLLP port (0: any free port). */
  port: number;
  mllp?: MllpSettings;
  /**
   * Opens (or creates) the lab interface's own encrypted database. Called once the server is
   * listening (the interface enrolls with it), so a passphrase is asked for only when it is needed.
   */
  openStore: () => Promise<Store>;
  onMessage?: (line: string) => void;
  onProblem?: (line: string) => void;
}

export interface ClinicServerOptions extends Omit<ServerOptions, 'adminToken'> {
  lab?: LabInterfaceOptions;
}

export interface RunningClinicServer {
  server: RunningServer;
  /** The lab interface's MLLP port, or null when it was not asked for. */
  mllpPort: number | null;
  /** Stops the lab interface, then the server, and removes the running-server file. */
  close(): Promise<void>;
}

/**
 * Starts the clinic server as `cairn server` and the desktop app's embedded server both run it:
 * the server (with its loopback admin endpoint, reachable by `cairn server enroll --data-dir DIR`
 * through the running-server file written into an embedded server's data directory), then its lab
 * interface when asked for. Nothing is left running when any part fails to start.
 */
export async function startClinicServer(o: ClinicServerOptions): Promise<RunningClinicServer> {
  const { lab: labOptions, ...serverOptions } = o;
  const adminToken = newAdminToken();
  const server = await startServer({ ...serverOptions, adminToken });
  const dataDir = 'dataDir' in o.target ? o.target.dataDir : null;
  if (dataDir) writeRunningInfo(dataDir, { pid: process.pid, url: server.url, adminToken });
  let lab: LabInterface | null = null;
  let labStore: Store | null = null;
  if (labOptions) {
    try {
      labStore = await labOptions.openStore();
      // The interface syncs with this server: over TLS it must trust the clinic certificate.
      const fetchImpl = o.tls ? fetchTrusting(readFileSync(o.tls.cert)) : undefined;
      lab = await startLabInterface(server, labStore, {
        port: labOptions.port,
        ...(labOptions.mllp && { mllp: labOptions.mllp }),
        ...(fetchImpl && { fetchImpl }),
        ...(labOptions.onMessage && { onMessage: labOptions.onMessage }),
        ...(labOptions.onProblem && { onProblem: labOptions.onProblem }),
      });
    } catch (e) {
      labStore?.close();
      await server.close();
      if (dataDir) clearRunningInfo(dataDir);
      throw e;
    }
  }
  return {
    server,
    mllpPort: lab?.mllpPort ?? null,
    async close() {
      await lab?.close();
      labStore?.close();
      await server.close();
      if (dataDir) clearRunningInfo(dataDir);
    },
  };
}
