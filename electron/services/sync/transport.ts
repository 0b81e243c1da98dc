import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import {
  enrollResponse,
  errorBody,
  PULL_COMPACT_CLOCKS,
  PULL_OWN_ECHOES,
  pullResponse,
  pushResponse,
  SESSIONS_HEADER,
  signInResponse,
  USER_HEADER,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../../../shared/sync/protocol';
import type { Clocks, Fields } from '../../../shared/sync/entities';

/** A failed exchange with the clinic server, with whether trying again later can help. */
export class TransportError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly expectedSeq?: number,
    readonly serverTime?: number,
  ) {
    super(message);
  }

  /** Network errors and 5xx are retried with backoff; 4xx need a person (or a fixed clock). */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === 'clock_ahead';
  }
}

export interface SyncTransport {
  push(body: PushRequest): Promise<PushResponse>;
  /** `echoes`: this device's own changes may come back as echoes, without their columns (PULL_OWN_ECHOES). */
  pull(cursor: number, limit: number, echoes?: boolean): Promise<PullResponse>;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; text(): Promise<string> }>;

async function exchange<T>(
  fetchImpl: FetchLike,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  schema: z.ZodType<T>,
): Promise<T> {
  let res: { status: number; text(): Promise<string> };
  try {
    try {
      res = await fetchImpl(url, init);
    } catch (e) {
      // A kept-alive connection the server had just closed: push and pull are idempotent, so once more.
      if (!(e instanceof Error && e.cause instanceof Error && /ECONNRESET|EPIPE|socket/i.test(e.cause.message))) throw e;
      res = await fetchImpl(url, init);
    }
  } catch (e) {
    // fetch hides the reason (refused, reset, DNS, certificate) in `cause`.
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    throw new TransportError(
      0,
      'offline',
      `the clinic server could not be reached (${e instanceof Error ? e.message : String(e)}${cause}); changes wait on this device`,
    );
  }
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TransportError(res.status || 502, 'bad_response', `the clinic server answered with something that is not JSON (HTTP ${res.status})`);
  }
  if (res.status >= 400) {
    const err = errorBody.safeParse(json);
    if (err.success) throw new TransportError(res.status, err.data.error.code, err.data.error.message, err.data.error.expectedSeq, err.data.error.serverTime);
    throw new TransportError(res.status, 'server_error', `the clinic server answered HTTP ${res.status}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new TransportError(502, 'bad_response', 'the clinic server answered in a shape this version of Cairn does not understand');
  return parsed.data;
}

/** Sync over HTTP(S) to the clinic server, as an enrolled device for a signed-in user. */
export class HttpTransport implements SyncTransport {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly userId: () => string,
    private readonly fetchImpl: FetchLike = globalThis.fetch,
    /** The user sessions this device holds (user id → token the server issued at sign-in). */
    private readonly sessions: () => Record<string, string> = () => ({}),
  ) {}

  private headers(): Record<string, string> {
    const sessions = this.sessions();
    const tokens = Object.values(sessions);
    // Pull as the signed-in user when the server gave them a session here, else as anyone who has one.
    const wanted = this.userId();
    const user = wanted.startsWith('cli:') || sessions[wanted] ? wanted : (Object.keys(sessions)[0] ?? wanted);
    return {
      authorization: `Bearer ${this.token}`,
      [USER_HEADER]: user,
      ...(tokens.length > 0 && { [SESSIONS_HEADER]: tokens.join(',') }),
      'content-type': 'application/json',
    };
  }

  push(body: PushRequest): Promise<PushResponse> {
    return exchange(this.fetchImpl, `${this.baseUrl}/sync/push`, { method: 'POST', headers: this.headers(), body: JSON.stringify(body) }, pushResponse);
  }

  pull(cursor: number, limit: number, echoes = false): Promise<PullResponse> {
    return exchange(
      this.fetchImpl,
      `${this.baseUrl}/sync/pull?cursor=${cursor}&limit=${limit}&clocks=${PULL_COMPACT_CLOCKS}${echoes ? `&own=${PULL_OWN_ECHOES}` : ''}`,
      { method: 'GET', headers: this.headers() },
      pullResponse,
    );
  }
}

/** Exchanges a one-time enrollment code for this device's credential. */
export function enrollDevice(
  baseUrl: string,
  body: { code: string; deviceId: string; deviceName: string; users: { fields: Fields; clocks: Clocks }[] },
  fetchImpl: FetchLike = globalThis.fetch,
): Promise<z.infer<typeof enrollResponse>> {
  return exchange(
    fetchImpl,
    `${baseUrl}/sync/enroll`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    enrollResponse,
  );
}

/** A user signs in with the clinic server from an enrolled device; the answer is that user's session here. */
export function serverSignIn(
  baseUrl: string,
  deviceToken: string,
  body: { username: string; password: string },
  fetchImpl: FetchLike = globalThis.fetch,
): Promise<z.infer<typeof signInResponse>> {
  return exchange(
    fetchImpl,
    `${baseUrl}/sync/sessions`,
    { method: 'POST', headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) },
    signInResponse,
  );
}

/** fetch over HTTPS trusting the clinic's own certificate authority (a self-signed clinic certificate). */
export function fetchTrusting(ca: string | Buffer): FetchLike {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method: init.method, headers: init.headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: () => Promise.resolve(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (init.body) req.write(init.body);
      req.end();
    });
}
