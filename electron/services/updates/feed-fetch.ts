import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What the update check needs of the network: GET a small file of the feed, as bytes. */
export type FeedFetch = (url: string) => Promise<{ status: number; body: Buffer }>;

/** The metadata and its signature are a few kilobytes; anything much larger is not the feed. */
const MAX_BYTES = 1024 * 1024;

/**
 * GETs feed files from the clinic server: https trusting the clinic certificate (`ca`, as sync does),
 * or plain http on a network the clinic chose. Answers are capped in size and time.
 */
export function feedFetch(o: { ca?: string | Buffer; timeoutMs?: number } = {}): FeedFetch {
  const timeoutMs = o.timeoutMs ?? 30_000;
  return (url) =>
    new Promise((resolve, reject) => {
      const https = url.startsWith('https:');
      const req = (https ? httpsRequest : httpRequest)(url, { method: 'GET', ...(https && o.ca && { ca: o.ca }), timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BYTES) req.destroy(new Error(`${url} answered more than ${MAX_BYTES} bytes; that is not update metadata`));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`the clinic server did not answer ${url} within ${timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end();
    });
}
