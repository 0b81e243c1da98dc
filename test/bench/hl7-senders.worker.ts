/**
 * The HL7 bench's senders, in their own thread (as a lab's interface engine is another machine):
 * N MLLP connections, each sending one message and waiting for its ACK before the next.
 * workerData: { port, connections, prefix, count, tsEntry }; posts { ms, latencies } or { error }.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { frameMllp, MllpDeframer } from '../../shared/hl7';
import { benchOru } from './hl7-messages';

interface Job {
  port: number;
  connections: number;
  prefix: string;
  count: number;
}

class Sender {
  private readonly deframer = new MllpDeframer();
  private waiting: ((ack: string) => void) | null = null;
  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const ev of this.deframer.push(chunk)) {
        if (ev.type !== 'message') throw new Error(`bench client: ${ev.type}`);
        const w = this.waiting;
        this.waiting = null;
        w?.(Buffer.from(ev.payload).toString('utf8'));
      }
    });
  }

  static open(port: number): Promise<Sender> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new Sender(s)));
      s.once('error', reject);
    });
  }

  send(text: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(frameMllp(text));
    });
  }

  close(): void {
    this.socket.end();
  }
}

async function run(job: Job): Promise<{ ms: number; latencies: number[] }> {
  const messages = Array.from({ length: job.count }, (_, i) => benchOru(i, job.prefix));
  const senders = await Promise.all(Array.from({ length: job.connections }, () => Sender.open(job.port)));
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    senders.map(async (s) => {
      while (next < messages.length) {
        const text = messages[next++]!;
        const t = performance.now();
        const ack = await s.send(text);
        latencies.push(performance.now() - t);
        // Cheap check that it really was applied, not refused: the ACK code is MSA-1.
        if (!ack.includes('\rMSA|AA|')) throw new Error(`not accepted: ${ack.replace(/\r/g, ' | ')}`);
      }
    }),
  );
  const ms = performance.now() - t0;
  for (const s of senders) s.close();
  return { ms, latencies };
}

run(workerData as Job).then(
  (r) => parentPort!.postMessage(r),
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) }),
);
