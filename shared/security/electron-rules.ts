/**
 * The Electron window's security rules as pure functions, so they are tested with tables of
 * hostile inputs under plain Node (electron/main only wires them to Electron's events).
 */

interface Parts {
  scheme: string;
  authority: string | null;
  path: string;
}

/** RFC 3986 appendix B: the generic URI split, with no platform URL class (shared/ runs anywhere). */
const URI = /^([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?[^#]*)?(?:#.*)?$/;

function parse(url: string): Parts | null {
  const m = URI.exec(url);
  if (!m) return null;
  return { scheme: (m[1] ?? '').toLowerCase(), authority: m[2] ?? null, path: m[3] ?? '' };
}

/** The page URL without query or fragment, for comparing "is this our renderer". */
function bare(url: string): string | null {
  const u = parse(url);
  if (!u) return null;
  // Important: a path with dot segments is never ours (the renderer's own URL has none).
  if (/(^|\/)\.\.?(\/|$)/.test(u.path)) return null;
  return `${u.scheme}://${u.authority ?? ''}${u.path}`;
}

/**
 * An IPC call is trusted only from the main frame of our window showing our own renderer file:
 * not a subframe, not another file:// page, not a page that navigated away.
 */
export function isTrustedSender(sender: { frameUrl: string; isMainFrame: boolean; isOurWindow: boolean }, rendererUrl: string): boolean {
  if (!sender.isMainFrame || !sender.isOurWindow) return false;
  const a = bare(sender.frameUrl);
  return a !== null && a === bare(rendererUrl);
}

/** The window never navigates anywhere but its own renderer (a reload of it is fine). */
export function isNavigationAllowed(url: string, rendererUrl: string): boolean {
  const a = bare(url);
  return a !== null && a === bare(rendererUrl);
}

/**
 * Links a clinician clicks (e.g. a guideline) open in the system browser, and only https ones
 * with no credentials in them; javascript:, file:, data:, custom schemes and http are refused.
 */
export function isExternalOpenAllowed(url: string): boolean {
  const u = parse(url);
  return u !== null && u.scheme === 'https' && u.authority !== null && u.authority !== '' && !u.authority.includes('@');
}
