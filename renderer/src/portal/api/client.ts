import { CSRF_HEADER, PORTAL_API, type PortalErrorBody } from '../../../../shared/api/portal-http';

/**
 * A refusal from the portal's API, or no answer at all (status 0, code `network`). `code` is the
 * server's (`{ error: { code, message } }`); the screens show a localised text for codes they know
 * and the server's English message otherwise.
 */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

let csrfToken = '';
let onSignedOut: (() => void) | null = null;

/** The session's CSRF token, sent in `x-csrf-token` on every POST (set from SessionView.csrfToken). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the server answers 401 to a signed-in request: the session ended (idle, expiry, signed out elsewhere). */
export function onSessionEnded(handler: (() => void) | null): void {
  onSignedOut = handler;
}

function isErrorBody(x: unknown): x is PortalErrorBody {
  const e = (x as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof e?.code === 'string' && typeof e.message === 'string';
}

async function refusal(res: Response): Promise<PortalError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's HTML page): the status alone says what happened.
  }
  if (isErrorBody(body)) return new PortalError(res.status, body.error.code, body.error.message);
  return new PortalError(res.status, `http_${res.status}`, `the server answered ${res.status} ${res.statusText}`);
}

/**
 * One call to the portal's API. The session cookie goes with it (same origin); a POST carries the
 * CSRF token. `quiet401`: a 401 here is an answer (signed out), not an ended session.
 */
export async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, opts: { quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    if (csrfToken) headers[CSRF_HEADER] = csrfToken;
  }
  let res: Response;
  try {
    res = await fetch(`${PORTAL_API}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(method === 'POST' && { body: JSON.stringify(body ?? {}) }),
    });
  } catch {
    throw new PortalError(0, 'network', 'the clinic server could not be reached');
  }
  if (!res.ok) {
    const e = await refusal(res);
    if (res.status === 401 && !opts.quiet401) onSignedOut?.();
    throw e;
  }
  return (await res.json()) as T;
}

/** A chart's route, its ids escaped (they come from the server, but a path is built from them). */
export function chartPath(patientId: string, ...rest: string[]): string {
  return ['/charts', patientId, ...rest].map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');
}

/** The address of a file the browser downloads itself (PDF, FHIR JSON, an attachment): the cookie goes with it. */
export function fileUrl(path: string): string {
  return `${PORTAL_API}${path}`;
}
