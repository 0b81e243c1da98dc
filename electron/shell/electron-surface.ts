/// <reference types="electron" />
/**
 * The parts of Electron's API the shell modules use, typed from Electron's own declarations (only the
 * types: nothing of Electron is loaded). electron/main passes Electron's real objects; the tests pass
 * stand-ins under plain Node. Electron's objects must be assignable to these interfaces (checked
 * where electron/main passes them), and so must the stand-ins: neither side can drift from Electron.
 * Event methods are written out per event because Electron declares them as overloads returning `this`.
 */

export interface ShellApp {
  readonly isPackaged: boolean;
  on(event: 'before-quit', listener: (event: Electron.Event) => void): unknown;
  quit(): void;
  exit(exitCode?: number): void;
  getPath: Electron.App['getPath'];
  setPath: Electron.App['setPath'];
}

export interface ShellPowerMonitor {
  on(event: 'lock-screen', listener: () => void): unknown;
  on(event: 'suspend', listener: () => void): unknown;
  /** Linux and macOS. Electron passes an event whose preventDefault() delays the shut-down (its typings omit it). */
  on(event: 'shutdown', listener: (event?: { preventDefault(): void }) => void): unknown;
}

/** Only the asynchronous safeStorage calls (the synchronous ones are deprecated) and the Linux backend's name. */
export type ShellSafeStorage = Pick<
  Electron.SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

export interface ShellSession {
  setPermissionRequestHandler: Electron.Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Electron.Session['setPermissionCheckHandler'];
  webRequest: Pick<Electron.WebRequest, 'onHeadersReceived'>;
}

/** The window's 'session-end' (Windows: log-off, restart or shut-down; it cannot be delayed). */
export interface ShellWindow {
  on(event: 'session-end', listener: (event: Electron.WindowSessionEndEvent) => void): unknown;
}

/** The main side of a utilityProcess child (the embedded clinic server runs in one). */
export interface ShellUtilityProcess {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type WindowOptions = Electron.BrowserWindowConstructorOptions;
export type MenuTemplate = Electron.MenuItemConstructorOptions[];
export type PrivilegedScheme = Electron.CustomScheme;

/** Where the shell writes what happened (pino in the app): codes and reasons, never PHI. */
export interface ShellLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** One line from an error of any kind. */
export const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));
