import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Store } from '../../../electron/services/db/open';
import type { Hl7Ingest } from '../../../electron/services/labs/ingest';
import type { Repos } from '../../../electron/services/repos';
import { MllpDeframer } from '../../../shared/hl7';

// Fixtures and message builders the HL7 ingestion tests share.

/** The encrypted store and ingest every group of tests works on, as set up by labs.test.ts's beforeAll. */
export interface LabsSuite {
  store: Store;
  repos: Repos;
  ingest: Hl7Ingest;
}

export const FIXTURES = join(process.env.CAIRN_FIXTURES ?? 'test/fixtures', 'hl7v2');
export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
export const ADMIN = { userId: 'test-admin' };

export function oru(controlId: string, pid: string, ...obx: string[]): string {
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    pid,
    'OBR|1|PL-1^CAIRN|FI-9^ACME|2345-7^Glucose^LN',
    ...obx,
  ].join('\r');
}

/** Connects to an MLLP port, lets `send` write, and resolves with the first `count` ACKs as bytes. */
export function exchange(port: number, count: number, send: (socket: Socket) => void): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const deframer = new MllpDeframer();
    const got: Buffer[] = [];
    socket.on('data', (chunk) => {
      for (const ev of deframer.push(chunk)) if (ev.type === 'message') got.push(Buffer.from(ev.payload));
      if (got.length === count) {
        socket.end();
        resolve(got);
      }
    });
    socket.on('error', reject);
    send(socket);
  });
}
