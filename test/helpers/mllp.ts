import { connect, createServer, type AddressInfo } from 'node:net';
import { frameMllp, MllpDeframer } from '../../shared/hl7';

/** Sends HL7 messages over one MLLP connection, as a lab's interface engine does, and returns the ACKs. */
export function sendMllp(port: number, messages: readonly string[]): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect(port, '127.0.0.1');
    const deframer = new MllpDeframer({ maxMessageBytes: 1 << 20 });
    const acks: string[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const e of deframer.push(chunk)) {
        if (e.type !== 'message') continue;
        acks.push(new TextDecoder().decode(e.payload));
        if (acks.length === messages.length) {
          socket.end();
          resolvePromise(acks);
        }
      }
    });
    socket.on('error', reject);
    for (const m of messages) socket.write(frameMllp(m));
  });
}

/** A loopback port nothing listens on (just now). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
