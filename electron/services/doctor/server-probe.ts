import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';

/** The certificate the server presented, as far as the doctor needs it. */
export interface PeerCertificate {
  subject: string;
  validFrom: number;
  validTo: number;
  /** Whether it verifies against the clinic CA given (or the system's), and why not. */
  authorized: boolean;
  authorizationError: string | null;
}

export type ServerAnswer =
  | {
      reachable: true;
      url: string;
      status: number;
      rttMs: number;
      /** The server's clock at the middle of the exchange (epoch ms), and where it came from. */
      serverTimeMs: number | null;
      timeSource: 'health' | 'date-header' | null;
      /** Our clock at the middle of the exchange. */
      localTimeMs: number;
      /** How far off the server time can be from reading it alone (the Date header has whole seconds). */
      uncertaintyMs: number;
      peer: PeerCertificate | null;
    }
  | { reachable: false; url: string; error: string };

export interface ProbeOptions {
  timeoutMs: number;
  /** The clinic's CA certificate (PEM), to say whether the server's certificate is trusted. */
  ca?: Buffer | undefined;
  /** For tests: the local clock. */
  now?: () => number;
}

const MAX_BODY = 64 * 1024;

function serverTimeOf(body: string, dateHeader: string | undefined): { ms: number; source: 'health' | 'date-header'; resolutionMs: number } | null {
  try {
    const t = (JSON.parse(body) as { time?: unknown }).time;
    const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : NaN;
    if (Number.isFinite(ms)) return { ms, source: 'health', resolutionMs: 0 };
  } catch {
    // Not the clinic server's /health JSON: the Date header every HTTP server sends will do.
  }
  const d = dateHeader ? Date.parse(dateHeader) : NaN;
  // The Date header is truncated to the second: the middle of that second is the best guess.
  return Number.isFinite(d) ? { ms: d + 500, source: 'date-header', resolutionMs: 500 } : null;
}

function peerOf(res: IncomingMessage): PeerCertificate | null {
  const socket = res.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return null;
  const c = socket.getPeerCertificate();
  if (!c || !c.valid_to) return null;
  const err = socket.authorizationError as Error | string | null | undefined;
  return {
    subject: c.subject?.CN ? String(c.subject.CN) : 'unnamed',
    validFrom: Date.parse(c.valid_from),
    validTo: Date.parse(c.valid_to),
    authorized: socket.authorized,
    authorizationError: err ? (err instanceof Error ? err.message : String(err)) : null,
  };
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError') return 'no answer in time';
  return err?.code ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Asks the clinic server's `/health` once, with a hard timeout (never hangs the doctor), for its
 * clock (the `time` of its answer, else the Date header) and its certificate. Important: the
 * certificate is read, not relied on (`rejectUnauthorized: false`): nothing secret is sent, and an
 * expired or untrusted certificate is exactly what the doctor must be able to report.
 */
export function probeServer(baseUrl: string, o: ProbeOptions): Promise<ServerAnswer> {
  const now = o.now ?? Date.now;
  const url = `${baseUrl.replace(/\/+$/, '')}/health`;
  return new Promise((resolve) => {
    const t0 = now();
    const signal = AbortSignal.timeout(o.timeoutMs);
    const secure = url.startsWith('https:');
    const options = { method: 'GET', agent: false as const, signal, headers: { accept: 'application/json' } };
    const onResponse = (res: IncomingMessage): void => {
      const t1 = now();
      const peer = secure ? peerOf(res) : null;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < MAX_BODY) body += c;
      });
      res.on('error', (e) => resolve({ reachable: false, url, error: reason(e) }));
      res.on('end', () => {
        const time = serverTimeOf(body, res.headers.date);
        const rttMs = t1 - t0;
        resolve({
          reachable: true,
          url,
          status: res.statusCode ?? 0,
          rttMs,
          serverTimeMs: time?.ms ?? null,
          timeSource: time?.source ?? null,
          localTimeMs: t0 + rttMs / 2,
          uncertaintyMs: rttMs / 2 + (time?.resolutionMs ?? 0),
          peer,
        });
      });
    };
    let req;
    try {
      req = secure
        ? httpsRequest(url, { ...options, rejectUnauthorized: false, ...(o.ca && { ca: o.ca }) }, onResponse)
        : httpRequest(url, options, onResponse);
    } catch (e) {
      resolve({ reachable: false, url, error: reason(e) });
      return;
    }
    req.on('error', (e) => resolve({ reachable: false, url, error: reason(e) }));
    req.end();
  });
}
