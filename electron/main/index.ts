import { app, BrowserWindow, Menu, net, session as electronSession, shell, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { destination } from 'pino';
import { setDispatchLogger } from '../services/dispatch';
import { createHandlers } from '../services/handlers';
import { createLogger } from '../services/log';
import { Session } from '../services/session';
import { SessionSync } from '../services/sync';
import { WorkerSyncController } from '../services/sync/worker-host';
import { startEmbeddedClinicServer } from '../launch/embedded-clinic-server';
import { isExternalOpenAllowed, isNavigationAllowed, isTrustedSender } from '../../shared/security/electron-rules';
import { registerIpc } from './ipc';
import { safeStorageKeyMemory } from './key-memory';
import { buildMenu } from './menu';

// Important: one Cairn per user profile, so two processes never write the same database.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  const rendererIndex = join(import.meta.dirname, '../renderer/index.html');
  const rendererUrl = pathToFileURL(rendererIndex).href;
  const resourcesDir = app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources');
  process.env['CAIRN_RESOURCES_DIR'] = resourcesDir;
  // Running from source: use the Electron build of better-sqlite3 that `npm start` prepared.
  const devBinding = join(app.getAppPath(), '.cairn-electron', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!app.isPackaged && existsSync(devBinding)) process.env['CAIRN_SQLITE_BINDING'] = devBinding;

  const isTrusted = (contents: WebContents, frameUrl: string): boolean =>
    isTrustedSender({ frameUrl, isMainFrame: true, isOurWindow: win !== null && contents === win.webContents }, rendererUrl);

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  // Deny every new window, navigation away from the app, and permission request.
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalOpenAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url, rendererUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isNavigationAllowed(url, rendererUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  void app.whenReady().then(() => {
    electronSession.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
    // frame-ancestors works only as a header (a <meta> CSP ignores it): added to what the window loads.
    electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      const csp = details.responseHeaders?.['Content-Security-Policy'] ?? [];
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [...csp, "frame-ancestors 'none'"] } });
    });
    const userData = app.getPath('userData');
    setDispatchLogger(createLogger({ destination: destination({ dest: join(userData, 'cairn.log'), mkdir: true }) }));
    // The sync worker opens its own connection, so it gets a copy of the key at unlock.
    let workerKey: Buffer | null = null;
    const session = new Session({
      dbFile: process.env['CAIRN_DB'] ?? join(userData, 'clinic.cairn'),
      resourcesDir,
      keyMemory: safeStorageKeyMemory(join(userData, 'keys')),
      onUnlock: (_file, key) => {
        workerKey?.fill(0);
        workerKey = key;
      },
    });
    const sync = new SessionSync(session, (dbFile) => {
      if (!workerKey) return null;
      const keyHex = workerKey.toString('hex');
      return new WorkerSyncController(join(import.meta.dirname, 'sync-worker.js'), { dbFile, keyHex, resourcesDir, intervalMs: 60_000 });
    });
    // Back online (the OS says so): sync at once instead of waiting for the backoff.
    let wasOnline = net.isOnline();
    setInterval(() => {
      const now = net.isOnline();
      if (now && !wasOnline) sync.online();
      wasOnline = now;
    }, 5_000).unref();
    void startEmbeddedClinicServer(userData, resourcesDir);
    session.tryRememberedKey();
    registerIpc(createHandlers({ session, sync }), isTrusted);
    Menu.setApplicationMenu(
      buildMenu(
        () => win,
        () => session.lock(),
      ),
    );

    win = new BrowserWindow({
      width: 1280,
      height: 840,
      title: 'Cairn',
      show: false,
      webPreferences: {
        preload: join(import.meta.dirname, '../preload/index.cjs'),
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: true,
      },
    });
    win.once('ready-to-show', () => win?.show());
    void win.loadFile(rendererIndex);

    app.on('before-quit', () => {
      void sync.stop();
      session.close();
    });
  });

  app.on('window-all-closed', () => app.quit());
}
