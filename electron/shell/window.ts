import { APP_RENDERER_URL, FRAME_ANCESTORS } from './app-protocol';
import type { ShellLog, ShellSession, WindowOptions } from './electron-surface';

/**
 * The main window's settings. DevTools exist only when running from source (a packaged build has no
 * menu item, no shortcut and no API to open them); spellcheck is off, because Chromium downloads its
 * dictionaries from Google on Windows and Linux, and a clinic's words do not belong in a remote service.
 */
export function windowOptions(o: { preload: string; isPackaged: boolean }): WindowOptions {
  return {
    width: 1280,
    height: 840,
    title: 'Cairn',
    show: false,
    webPreferences: {
      preload: o.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !o.isPackaged,
    },
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the window loads the renderer: `npm run dev` serves it from Vite's dev server and says where
 * in ELECTRON_RENDERER_URL; otherwise (and always in a packaged build, whatever the environment says)
 * from the app's own cairn:// protocol. Only a loopback http(s) dev server is taken, so a stray
 * variable cannot point the window at another machine.
 */
export function rendererLocation(o: { isPackaged: boolean; env: NodeJS.ProcessEnv; log?: ShellLog }): { url: string; devServer: string | null } {
  const asked = o.env['ELECTRON_RENDERER_URL'];
  if (o.isPackaged || !asked) return { url: APP_RENDERER_URL, devServer: null };
  try {
    const u = new URL(asked);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK.has(u.hostname)) return { url: u.href, devServer: u.origin };
  } catch {
    // Falls through to the refusal below.
  }
  o.log?.warn({ event: 'window.dev_url_refused' }, 'ELECTRON_RENDERER_URL is not a loopback http(s) address: loading the built renderer instead');
  return { url: APP_RENDERER_URL, devServer: null };
}

type Headers = Record<string, string[]>;

/** The response headers with frame-ancestors 'none' added to the Content-Security-Policy, whatever the header's case. */
export function withFrameAncestors(headers: Headers | undefined): Headers {
  const out: Headers = {};
  const csp: string[] = [];
  for (const [name, values] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') csp.push(...values);
    else out[name] = values;
  }
  out['Content-Security-Policy'] = [...csp, FRAME_ANCESTORS];
  return out;
}

/**
 * The session's rules: every permission request and every permission check is refused (Electron
 * allows checks by default, which would let a page read e.g. whether it may use the camera without
 * asking); pages from the dev server get frame-ancestors 'none' as a header, as cairn:// pages do.
 */
export function installSessionRules(session: ShellSession, devServer: string | null): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  if (devServer) {
    session.webRequest.onHeadersReceived({ urls: [`${devServer}/*`] }, (details, callback) =>
      callback({ responseHeaders: withFrameAncestors(details.responseHeaders) }),
    );
  }
}
