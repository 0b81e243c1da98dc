import { createServer, Socket, type Server } from 'node:net';
import { createRepos, type Repos } from '../../../electron/services/repos';
import { clientFor, enrollThisDevice, type BinaryFetch, type SyncClient } from '../../../electron/services/sync';
import { openClinic, type Clinic } from '../../helpers/clinic';
import { signInClinicUsers, startTestServer, type Backend } from '../../helpers/sync-server';
import { newStore, tempDir } from '../../helpers/temp-db';

export { attachDocument, contentState, localBytes, sha256, syntheticBytes, transferFor } from './document-rows';

export interface DocumentDevices {
  server: Awaited<ReturnType<typeof startTestServer>>;
  /** Device A: a clinic database, the physician signed in (and the administrator's session held). */
  a: Clinic;
  /** Device B: an empty encrypted database enrolled with the same server, the same users signed in. */
  b: Repos;
  syncA: SyncClient;
  syncB: SyncClient;
  /** The physician both devices act as. */
  docId: string;
  close(): Promise<void>;
}

/** A real clinic server (PGlite or PostgreSQL) with two enrolled devices on encrypted databases. */
export async function documentDevices(backend: Backend): Promise<DocumentDevices> {
  const server = await startTestServer(backend);
  const da = tempDir();
  const db = tempDir();
  const a = await openClinic(da.dir);
  const docId = a.session.repos.users.list().find((u) => u.username === 'drhouse')!.id;
  const codeA = await server.sync.createEnrollmentCode('Front desk PC');
  await enrollThisDevice(a.session.repos.store, a.session.repos, { serverUrl: server.url, code: codeA.code, deviceName: 'Front desk PC' });
  await signInClinicUsers(a.session.repos.store.sqlite);
  const { store } = await newStore(db.dir);
  const b = createRepos(store);
  const codeB = await server.sync.createEnrollmentCode('Exam room laptop');
  await enrollThisDevice(store, b, { serverUrl: server.url, code: codeB.code, deviceName: 'Exam room laptop' });
  await signInClinicUsers(store.sqlite);
  return {
    server,
    a,
    b,
    docId,
    syncA: clientFor(a.session.repos.store, a.session.repos, () => docId),
    syncB: clientFor(store, b, () => docId),
    async close() {
      store.close();
      a.session.close();
      await server.stop();
      da.cleanup();
      db.cleanup();
    },
  };
}

/** Every request a DocumentTransfer makes: method, path and body size. */
export interface SeenRequest {
  method: string;
  path: string;
  bodyBytes: number;
}

/** globalThis.fetch, recording what goes out (to count requests and their sizes). */
export function recordingFetch(seen: SeenRequest[]): BinaryFetch {
  return (url, init) => {
    seen.push({ method: init.method, path: new URL(url).pathname, bodyBytes: init.body?.byteLength ?? 0 });
    return globalThis.fetch(url, { method: init.method, headers: init.headers, ...(init.body && { body: init.body as unknown as string }) });
  };
}

/**
 * A TCP proxy in front of the clinic server that counts what clients send and, when armed, cuts
 * every connection once that many more bytes have gone through (a dropped network mid-upload).
 */
export class CuttingProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  /** Bytes from clients to the server since the start (or the last reset). */
  sent = 0;
  private cutAt: number | null = null;
  cuts = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<string> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      this.sockets.add(client).add(upstream);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (d: Buffer) => {
        this.sent += d.byteLength;
        if (this.cutAt !== null && this.sent >= this.cutAt) {
          this.cutAt = null;
          this.cuts++;
          for (const s of this.sockets) s.destroy();
          this.sockets.clear();
          return;
        }
        upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => client.write(d));
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('the proxy has no port');
    return `http://127.0.0.1:${addr.port}`;
  }

  /** Cuts every connection once `bytes` more have gone from clients to the server. */
  cutAfter(bytes: number): void {
    this.cutAt = this.sent + bytes;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
