/** An error the server answers with: an HTTP status, a stable code, and a message a person can act on. */
export class ServerError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 423 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly extra: { expectedSeq?: number; serverTime?: number } = {},
  ) {
    super(message);
  }
}
