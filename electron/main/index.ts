/// <reference types="electron-vite/node" />
/**
 * The desktop app's main process: Electron's real objects wired into the shell modules
 * (electron/shell, each tested under Node against a stand-in of Electron's surface). Behaviour lives
 * there; this file only connects it.
 */
import {
  app,
  BrowserWindow,
  dialog,
  net,
  powerMonitor,
  protocol,
  safeStorage,
  session as electronSession,
  shell,
  utilityProcess,
  type WebContents,
} from 'electron';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { destination } from 'pino';
import { isExternalOpenAllowed, isNavigationAllowed, isTrustedSender } from '../../shared/security/electron-rules';
import { setDispatchLogger } from '../services/dispatch';
import { createHandlers } from '../services/handlers';
import { startDesktopScanInbox } from '../launch/scan-inbox';
import { createLogger } from '../services/log';
import { provisionOnFirstStart, provisioningCandidates } from '../services/provision';
import type { Repos } from '../services/repos';
import { Session } from '../services/session';
import { SessionSync, syncCounts } from '../services/sync';
import { restingStatus } from '../services/sync/controller';
import { WorkerSyncController } from '../services/sync/worker-host';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler } from '../shell/app-protocol';
import { EmbeddedServerHost } from '../shell/embedded-server';
import embeddedServerEntry from '../shell/embedded-server.child?modulePath';
import { RememberedKeys } from '../shell/key-memory';
import { shellPaths } from '../shell/paths';
import { signOutWhenAway } from '../shell/power';
import { provisioningNotice } from '../shell/provisioning';
import { installQuitSequence, type QuitSequence } from '../shell/quit';
import { runStartup, UnlockSignal } from '../shell/startup';
import { SignedInSyncRunner, SyncKeyHolder } from '../shell/sync-gate';
import { installSessionRules, rendererLocation, windowOptions } from '../shell/window';
import { registerIpc } from './ipc';
import { setAppMenu } from './menu';

// Before anything reads the data folder: the single-instance lock lives in it.
const paths = shellPaths(app, { resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
process.env['CAIRN_RESOURCES_DIR'] = paths.resourcesDir;
if (paths.sqliteBinding) process.env['CAIRN_SQLITE_BINDING'] = paths.sqliteBinding;
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

// Important: one Cairn per user profile, so two processes never write the same database.
if (!app.requestSingleInstanceLock()) app.quit();
else main();

function main(): void {
  const log = createLogger({ destination: destination({ dest: join(paths.userData, 'cairn.log'), mkdir: true }) });
  setDispatchLogger(log);
  const renderer = rendererLocation({ isPackaged: app.isPackaged, env: process.env, log });
  let win: BrowserWindow | null = null;
  const isTrusted = (contents: WebContents, frameUrl: string): boolean =>
    isTrustedSender({ frameUrl, isMainFrame: true, isOurWindow: win !== null && contents === win.webContents }, renderer.url);

  const keys = new RememberedKeys({ safeStorage, dir: join(paths.userData, 'keys'), platform: process.platform, log });
  const holder = new SyncKeyHolder();
  const unlocked = new UnlockSignal<Repos>();
  const session: Session = new Session({
    dbFile: process.env['CAIRN_DB'] ?? join(paths.userData, 'clinic.cairn'),
    resourcesDir: paths.resourcesDir,
    keyMemory: keys.keyMemory(),
    backgroundCheckpoints: true,
    onCheckpointError: (m) => log.warn(`checkpoint: ${m}`),
    onUnlock: (_file, key) => {
      holder.hold(key);
      // After the session has finished opening (onUnlock runs inside it), unless it was locked again meanwhile.
      queueMicrotask(() => {
        if (session.status().state !== 'locked') unlocked.opened(session.repos);
      });
    },
  });
  session.whenLocked(() => {
    holder.wipe();
    unlocked.closed();
  });
  const sync = new SessionSync(
    session,
    (dbFile) =>
      new SignedInSyncRunner({
        holder,
        log,
        // The worker thread still takes the key as hex (sync.worker.ts); the runner zeroes this copy once the thread has it.
        start: (key) =>
          new WorkerSyncController(join(import.meta.dirname, 'sync-worker.js'), {
            dbFile,
            key,
            resourcesDir: paths.resourcesDir,
            intervalMs: 60_000,
            // The session runs with backgroundCheckpoints (above): the worker leaves its long pulls’ checkpoints to that thread.
            checkpointThread: true,
          }),
        resting: () => restingStatus(syncCounts(session.repos.store.sqlite), 'idle'),
      }),
  );
  const server = new EmbeddedServerHost(() => utilityProcess.fork(embeddedServerEntry, [], { serviceName: 'Cairn clinic server' }), {
    userData: paths.userData,
    resourcesDir: paths.resourcesDir,
    log,
  });
  let quit: QuitSequence | null = null;

  const reloadWindow = (): void => win?.webContents.reload();
  const lock = (): void => {
    session.lock();
    reloadWindow();
  };
  const rebuildMenu = (): void =>
    setAppMenu({
      isPackaged: app.isPackaged,
      platform: process.platform,
      rememberKey: keys.isOptedIn(),
      lock,
      setRememberKey: (remember) => {
        keys.setOptIn(remember);
        const key = remember ? holder.copy() : null;
        if (key) void keys.remember(session.dbFile, key);
        rebuildMenu();
      },
    });

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  // Deny every new window, navigation away from the app, and webview.
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalOpenAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url, renderer.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isNavigationAllowed(url, renderer.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => app.quit());

  const fail = (message: string): void => {
    dialog.showErrorBox('Cairn', `${message}\n\nThe log is in ${join(paths.userData, 'cairn.log')}.`);
    app.exit(1);
  };
  void app
    .whenReady()
    .then(() =>
      runStartup({
        log,
        prepare: () => {
          protocol.handle(APP_SCHEME, appProtocolHandler(join(import.meta.dirname, '../renderer')));
          installSessionRules(electronSession.defaultSession, renderer.devServer);
          quit = installQuitSequence({
            app,
            powerMonitor,
            log,
            steps: [
              { name: 'sync worker', run: () => sync.stop() },
              { name: 'remembered key', run: () => keys.settled() },
              { name: 'database', run: () => (session.close(), holder.wipe()) },
              { name: 'embedded clinic server', run: () => server.close(), onTimeout: () => server.kill() },
            ],
          });
        },
        startServer: () => server.start(),
        // A provisioning file (README, "Provisioning laptops"): enrolls once this device's database is open.
        provision: () =>
          provisionOnFirstStart({
            candidates: provisioningCandidates({
              platform: process.platform,
              exeDir: dirname(process.execPath),
              appImage: process.env['APPIMAGE'],
              programData: process.env['ProgramData'],
            }),
            device: () => unlocked.next(),
            deviceName: hostname(),
            now: () => new Date(),
            log: { info: (line) => log.info(line), warn: (line) => log.warn(line), error: (line) => log.error(line) },
          }).then((outcome) => {
            const notice = provisioningNotice(outcome);
            if (notice) void (win ? dialog.showMessageBox(win, notice) : dialog.showMessageBox(notice));
            return outcome;
          }),
        unlockWithRememberedKey: async () => {
          await keys.prepare(session.dbFile);
          return session.tryRememberedKey();
        },
        wire: () => {
          registerIpc(createHandlers({ session, sync }), isTrusted);
          startDesktopScanInbox(session, { log: { info: (l) => log.info(l), warn: (l) => log.warn(l) } });
          rebuildMenu();
          signOutWhenAway(
            powerMonitor,
            () => {
              session.logout();
              // The runner sees nobody signed in and stops the worker now, not at the next poll.
              sync.status();
              reloadWindow();
            },
            log,
          );
          // Back online (the OS says so): sync at once instead of waiting for the backoff.
          let wasOnline = net.isOnline();
          setInterval(() => {
            const now = net.isOnline();
            if (now && !wasOnline) sync.online();
            wasOnline = now;
          }, 5_000).unref();
        },
        openWindow: () => {
          win = new BrowserWindow(windowOptions({ preload: join(import.meta.dirname, '../preload/index.cjs'), isPackaged: app.isPackaged }));
          quit?.watchWindow(win);
          win.once('ready-to-show', () => win?.show());
          void win.loadURL(renderer.url);
        },
        fail,
      }),
    )
    .catch((e: unknown) => fail(`Cairn could not start: ${e instanceof Error ? e.message : String(e)}`));
}
