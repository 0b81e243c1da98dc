import type { CairnApi } from '../../../shared/api/contract';
import { CHANNELS } from '../../../shared/api/channels';
import { err, type Result } from '../../../shared/api/result';

declare global {
  interface Window {
    /** Set by the Electron preload, or by the e2e bridge; absent in the plain browser (dev:web). */
    cairn?: CairnApi;
  }
}

const TOKEN_KEY = 'cairn.webToken';

/**
 * dev:web transport: the same contract over HTTP to a loopback Node process. The session token
 * arrives once in the URL (?token=…), is kept for this tab only, and is removed from the address bar.
 */
function httpApi(): CairnApi {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const call = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    try {
      const res = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cairn-token': token },
        body: JSON.stringify(input ?? {}),
      });
      return (await res.json()) as Result<unknown>;
    } catch (e) {
      return err('internal', `the Cairn service did not answer: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return Object.fromEntries(CHANNELS.map((c) => [c, (i: unknown) => call(c, i)])) as unknown as CairnApi;
}

/** The one way the renderer reaches the backend. */
export const api: CairnApi = window.cairn ?? httpApi();
