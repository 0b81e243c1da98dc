/**
 * The embedded clinic server's own process: Electron's utilityProcess in the app (talking through
 * process.parentPort), a Node child_process.fork in the tests (process.send). It waits for 'start',
 * reads clinic-server.json, starts the server (and its lab interface when asked for), says how it
 * went, and on 'stop' closes it all and exits. Its console lines go to the app's log.
 */
import { join } from 'node:path';
import { format } from 'node:util';
import { startClinicServer, type RunningClinicServer } from '../launch/clinic-server';
import { embeddedClinicServerOptions } from '../launch/embedded-clinic-server';
import type { FromServerChild, ToServerChild } from './embedded-server';

interface Port {
  on(listener: (message: unknown) => void): void;
  post(message: FromServerChild): void;
}

/** Electron's parentPort as the utility process sees it (its typings are not loaded in this file). */
interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

function parent(): Port {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) return { on: (fn) => electronPort.on('message', (e) => fn(e.data)), post: (m) => electronPort.postMessage(m) };
  if (process.send) return { on: (fn) => process.on('message', fn), post: (m) => process.send?.(m) };
  throw new Error('the embedded clinic server was started without a parent process to talk to');
}

const port = parent();
console.log = (...args: unknown[]): void => port.post({ type: 'log', level: 'info', line: format(...args) });
console.error = (...args: unknown[]): void => port.post({ type: 'log', level: 'error', line: format(...args) });

let server: RunningClinicServer | null = null;
let starting: Promise<void> = Promise.resolve();

async function start(userData: string, resourcesDir: string): Promise<void> {
  let options: ReturnType<typeof embeddedClinicServerOptions>;
  try {
    options = embeddedClinicServerOptions(userData, resourcesDir);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const file = join(userData, 'clinic-server.json');
    // A JSON syntax error does not name the file; the schema's own message does.
    port.post({ type: 'failed', message: message.startsWith('clinic-server.json') ? `${message} (${file})` : `${file} could not be read: ${message}` });
    return;
  }
  if (!options) return port.post({ type: 'absent' });
  try {
    server = await startClinicServer(options);
    port.post({ type: 'started', url: server.server.url, mllpPort: server.mllpPort });
  } catch (e) {
    port.post({ type: 'failed', message: `the embedded clinic server did not start: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** Closes what started (a start in progress is waited for, never cut off half-way) and exits. */
async function stop(): Promise<void> {
  try {
    await starting;
    await server?.close();
  } finally {
    process.exit(0);
  }
}

port.on((raw) => {
  const m = raw as ToServerChild;
  if (m.type === 'start') starting = start(m.userData, m.resourcesDir);
  else if (m.type === 'stop') void stop();
});
