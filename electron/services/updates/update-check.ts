import type { KeyObject } from 'node:crypto';
import { parseUpdateInfo, signatureVerifies, type UpdateInfo } from '../../common/update-release';
import type { FeedFetch } from './feed-fetch';

/** What the clinic's feed offers this platform. */
export type FeedAnswer =
  | { kind: 'nothing-published' }
  | { kind: 'release'; info: UpdateInfo; signed: boolean }
  /** The feed answered something this app must not install (bad metadata, missing or wrong signature). */
  | { kind: 'refused'; reason: string }
  /** The feed could not be reached or answered an error: try again later. */
  | { kind: 'failed'; reason: string };

export interface FeedCheckOptions {
  /** The channel's address, `https://clinic-server:8443/updates/stable`. */
  feedUrl: string;
  /** `latest.yml`, `latest-mac.yml`, `latest-linux.yml` … (feedFileFor). */
  feedFile: string;
  fetch: FeedFetch;
  /** The clinic's publishing key: when given, the metadata must carry its valid signature. */
  publicKey?: KeyObject | null;
}

const join = (base: string, name: string): string => `${base.replace(/\/+$/, '')}/${encodeURIComponent(name)}`;

/** Reads this platform's metadata from the feed (and checks its signature when the clinic has a publishing key). */
export async function checkFeed(o: FeedCheckOptions): Promise<FeedAnswer> {
  let meta: { status: number; body: Buffer };
  try {
    meta = await o.fetch(join(o.feedUrl, o.feedFile));
  } catch (e) {
    return { kind: 'failed', reason: `the update feed could not be reached: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (meta.status === 404) return { kind: 'nothing-published' };
  if (meta.status !== 200) return { kind: 'failed', reason: `the update feed answered HTTP ${meta.status} for ${o.feedFile}` };
  const parsed = parseUpdateInfo(meta.body.toString('utf8'), o.feedFile);
  if (!parsed.ok) return { kind: 'refused', reason: parsed.message };
  if (!o.publicKey) return { kind: 'release', info: parsed.info, signed: false };
  let sig: { status: number; body: Buffer };
  try {
    sig = await o.fetch(join(o.feedUrl, `${o.feedFile}.sig`));
  } catch (e) {
    return { kind: 'failed', reason: `the update feed's signature could not be fetched: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (sig.status === 404)
    return { kind: 'refused', reason: `${o.feedFile} ${parsed.info.version} is not signed, and this clinic requires its publishing key's signature` };
  if (sig.status !== 200) return { kind: 'failed', reason: `the update feed answered HTTP ${sig.status} for ${o.feedFile}.sig` };
  // A publication in progress can pair a new file with the old signature for a moment; the next check sees both new.
  if (!signatureVerifies(meta.body, sig.body, o.publicKey))
    return { kind: 'refused', reason: `${o.feedFile} ${parsed.info.version}: its signature does not verify with the clinic's publishing key` };
  return { kind: 'release', info: parsed.info, signed: true };
}
