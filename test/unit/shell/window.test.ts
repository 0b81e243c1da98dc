import { describe, expect, it } from 'vitest';
import { APP_RENDERER_URL } from '../../../electron/shell/app-protocol';
import { menuTemplate } from '../../../electron/shell/menu-template';
import { DATA_FOLDER, shellPaths } from '../../../electron/shell/paths';
import { installSessionRules, rendererLocation, windowOptions, withFrameAncestors } from '../../../electron/shell/window';
import type { MenuTemplate } from '../../../electron/shell/electron-surface';
import { isNavigationAllowed, isTrustedSender } from '../../../shared/security/electron-rules';
import { recordingLog, StandInApp, StandInSession } from './electron-stand-ins';

describe('the window', () => {
  it('is sandboxed with no Node, no webviews and no spellcheck service; DevTools only from source', () => {
    const packaged = windowOptions({ preload: '/app/preload/index.cjs', isPackaged: true }).webPreferences!;
    expect(packaged).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, spellcheck: false, devTools: false });
    expect(windowOptions({ preload: 'p', isPackaged: false }).webPreferences!.devTools).toBe(true);
  });

  it('loads the dev server npm run dev names, only from source and only on loopback; otherwise cairn://app', () => {
    const log = recordingLog();
    const dev = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(rendererLocation({ isPackaged: false, env: dev })).toEqual({ url: 'http://localhost:5173/', devServer: 'http://localhost:5173' });
    expect(rendererLocation({ isPackaged: true, env: dev })).toEqual({ url: APP_RENDERER_URL, devServer: null });
    expect(rendererLocation({ isPackaged: false, env: {} })).toEqual({ url: APP_RENDERER_URL, devServer: null });
    for (const bad of ['http://clinic.example:5173', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'http://127.0.0.1.evil.example/']) {
      expect(rendererLocation({ isPackaged: false, env: { ELECTRON_RENDERER_URL: bad }, log }).url).toBe(APP_RENDERER_URL);
    }
    expect(log.events).toHaveLength(5);
    // The IPC and navigation rules accept the page the window loads, in both cases.
    for (const { url } of [rendererLocation({ isPackaged: false, env: dev }), rendererLocation({ isPackaged: true, env: {} })]) {
      expect(isTrustedSender({ frameUrl: url, isMainFrame: true, isOurWindow: true }, url)).toBe(true);
      expect(isNavigationAllowed(url + '#/patients', url)).toBe(true);
      expect(isNavigationAllowed('cairn://app/../../etc/passwd', url)).toBe(false);
    }
  });

  it('refuses every permission request and every permission check', () => {
    const s = new StandInSession();
    installSessionRules(s, null);
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'] as const) {
      s.requestHandler!({} as Electron.WebContents, p, (granted) => answers.push(granted), {} as Electron.PermissionRequest);
      answers.push(s.checkHandler!(null, p, 'cairn://app', {} as Electron.PermissionCheckHandlerHandlerDetails));
    }
    expect(answers).toHaveLength(10);
    expect(answers.every((a) => a === false)).toBe(true);
    expect(s.headers).toBeNull();
  });

  it("adds frame-ancestors 'none' as a header to the dev server's pages, whatever the header's case", () => {
    const s = new StandInSession();
    installSessionRules(s, 'http://localhost:5173');
    expect(s.headers!.filter).toEqual({ urls: ['http://localhost:5173/*'] });
    let out: Record<string, string[]> | undefined;
    s.headers!.listener(
      { responseHeaders: { 'content-security-policy': ["default-src 'self'"], 'Content-Type': ['text/html'] } },
      (r) => (out = r.responseHeaders),
    );
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'", "frame-ancestors 'none'"] });
    expect(withFrameAncestors(undefined)).toEqual({ 'Content-Security-Policy': ["frame-ancestors 'none'"] });
  });
});

describe('the data folder and the database module', () => {
  it('keeps the installed app and a build from source in folders that differ by more than case', () => {
    expect(DATA_FOLDER.installed.toLowerCase()).not.toBe(DATA_FOLDER.development.toLowerCase());
    const installed = new StandInApp(true);
    const p = shellPaths(installed, { resourcesPath: '/opt/Cairn/resources', appPath: '/opt/Cairn/resources/app.asar', exists: () => true });
    expect(p).toEqual({
      userData: '/home/nurse/.config/Cairn',
      resourcesDir: '/opt/Cairn/resources/resources',
      sqliteBinding: '/opt/Cairn/resources/native/better_sqlite3.node',
    });
    expect(installed.getPath('userData')).toBe('/home/nurse/.config/Cairn');
    const source = new StandInApp(false);
    const d = shellPaths(source, { resourcesPath: '/x', appPath: '/src/cairn', exists: () => false });
    expect(d).toEqual({ userData: '/home/nurse/.config/Cairn Development', resourcesDir: '/src/cairn/resources', sqliteBinding: null });
    expect(shellPaths(source, { resourcesPath: '/x', appPath: '/src/cairn', exists: () => true }).sqliteBinding).toBe(
      '/src/cairn/.cairn-electron/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    );
  });
});

describe('the menu', () => {
  const roles = (t: MenuTemplate): string[] => t.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);
  const find = (t: MenuTemplate, label: string): Electron.MenuItemConstructorOptions | undefined =>
    t.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? i.submenu : [])]).find((i) => i.label === label);

  it('has no DevTools item (nor its shortcut) in a packaged build', () => {
    const base = { platform: 'win32' as const, rememberKey: false, lock: () => undefined, setRememberKey: () => undefined };
    expect(roles(menuTemplate({ ...base, isPackaged: true }))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate({ ...base, isPackaged: false }))).toContain('toggleDevTools');
  });

  it('locks with Ctrl/Cmd+L and offers remembering the key as this device’s choice', () => {
    const calls: string[] = [];
    const t = menuTemplate({
      isPackaged: true,
      platform: 'darwin',
      rememberKey: true,
      lock: () => calls.push('lock'),
      setRememberKey: (on) => calls.push(`remember ${on}`),
    });
    expect(t[0]!.role).toBe('appMenu');
    const lock = find(t, 'Lock Cairn')!;
    expect(lock.accelerator).toBe('CmdOrCtrl+L');
    const remember = find(t, 'Remember the Key on This Device')!;
    expect(remember).toMatchObject({ type: 'checkbox', checked: true });
    const click = (i: Electron.MenuItemConstructorOptions, checked: boolean): void => i.click!({ checked } as Electron.MenuItem, undefined, {});
    click(lock, false);
    click(remember, false);
    expect(calls).toEqual(['lock', 'remember false']);
  });
});
