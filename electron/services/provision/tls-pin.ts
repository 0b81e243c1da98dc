import { X509Certificate } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { checkServerIdentity, connect, type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { BinaryFetch } from '../sync/document-transfer';
import type { FetchLike } from '../sync/transport';

/** Why the clinic server's certificate could not be pinned; nothing was sent to it. */
export class PinError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'fingerprint-mismatch' | 'wrong-address',
    message: string,
  ) {
    super(message);
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);

/** The certificates the server presented, leaf first (issuer links stop at a self-signed one). */
function chainOf(leaf: DetailedPeerCertificate): DetailedPeerCertificate[] {
  const out: DetailedPeerCertificate[] = [];
  for (let c: DetailedPeerCertificate | undefined = leaf; c && Object.keys(c).length > 0 && !out.includes(c); c = c.issuerCertificate) out.push(c);
  return out;
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/**
 * Connects to the server, completes the TLS handshake and hangs up, sending nothing: returns the
 * certificate in the presented chain whose SHA-256 fingerprint is `fingerprint` (the server's own
 * self-signed certificate or the CA certificate its chain includes), as PEM, after checking that the
 * server's certificate names the address in `serverUrl`.
 */
export function pinServerCertificate(serverUrl: string, fingerprint: string, timeoutMs = 10_000): Promise<{ pem: string }> {
  const url = new URL(serverUrl);
  const host = hostOf(url);
  const port = Number(url.port || 443);
  return new Promise((resolve, reject) => {
    // Important: rejectUnauthorized off only for this look at the certificate; no application data is written.
    const socket = connect({ host, port, ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }), rejectUnauthorized: false });
    const fail = (e: PinError): void => {
      socket.destroy();
      reject(e);
    };
    socket.setTimeout(timeoutMs, () => fail(new PinError('unreachable', `no answer from ${url.host} within ${Math.round(timeoutMs / 1000)} s`)));
    socket.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        new PinError(
          'unreachable',
          UNREACHABLE.has(e.code ?? '') ? `${url.host}: ${e.code}` : `${url.host} did not complete an HTTPS handshake (${e.code ?? e.message})`,
        ),
      ),
    );
    socket.once('secureConnect', () => {
      const chain = chainOf(socket.getPeerCertificate(true));
      const pinned = chain.find((c) => c.fingerprint256 === fingerprint);
      if (!pinned) {
        const seen = chain[0]?.fingerprint256 ?? 'none';
        return fail(new PinError('fingerprint-mismatch', `the certificate of ${url.host} has SHA-256 fingerprint ${seen}, not ${fingerprint}`));
      }
      const wrongName = checkServerIdentity(host, chain[0] as PeerCertificate);
      if (wrongName) return fail(new PinError('wrong-address', `the certificate of ${url.host} does not name ${host}: ${wrongName.message}`));
      socket.setTimeout(0);
      socket.end();
      resolve({ pem: new X509Certificate(pinned.raw).toString() });
    });
  });
}

/** One HTTPS exchange that trusts only the pinned certificate: the whole answer as bytes. */
type PinnedRequest = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | Uint8Array },
) => Promise<{ status: number; body: Buffer; header: (name: string) => string | null }>;

function pinnedRequest(pem: string, fingerprint: string, timeoutMs: number): PinnedRequest {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method: init.method,
          headers: init.headers,
          ca: pem,
          agent: false,
          timeout: timeoutMs,
          checkServerIdentity: (host, cert) => {
            const wrongName = checkServerIdentity(host, cert);
            if (wrongName) return wrongName;
            if (!chainOf(cert as DetailedPeerCertificate).some((c) => c.fingerprint256 === fingerprint))
              return new PinError('fingerprint-mismatch', `the server's certificate chain does not include ${fingerprint}`);
            return undefined;
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const h = (name: string): string | null => {
              const v = res.headers[name.toLowerCase()];
              return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
            };
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), header: h });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
      req.once('socket', (s) => {
        const send = (): void => {
          if (init.body) req.write(init.body);
          req.end();
        };
        if ((s as TLSSocket).authorized) send();
        else s.once('secureConnect', send);
      });
    });
}

/**
 * fetch over HTTPS that trusts only the pinned certificate: the chain must lead to `pem`, the
 * fingerprint must be in it and the certificate must name the host. Important: the request (its
 * headers and body, e.g. an enrollment code) is written only after the handshake has passed these
 * checks, never queued before it.
 */
export function pinnedFetch(pem: string, fingerprint: string, timeoutMs = 30_000): FetchLike {
  const request = pinnedRequest(pem, fingerprint, timeoutMs);
  return async (url, init) => {
    const r = await request(url, init);
    return { status: r.status, text: () => Promise.resolve(r.body.toString('utf8')) };
  };
}

/** pinnedFetch for bytes (a document's chunks): the same checks, the answer as an ArrayBuffer with its headers. */
export function pinnedBinaryFetch(pem: string, fingerprint: string, timeoutMs = 60_000): BinaryFetch {
  const request = pinnedRequest(pem, fingerprint, timeoutMs);
  return async (url, init) => {
    const r = await request(url, init);
    const bytes = r.body.buffer.slice(r.body.byteOffset, r.body.byteOffset + r.body.byteLength) as ArrayBuffer;
    return { status: r.status, arrayBuffer: () => Promise.resolve(bytes), headers: { get: r.header } };
  };
}
