import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ShellApp } from './electron-surface';

/**
 * The data folder's name for the installed app and for a build run from source. Electron would name
 * both after the app (package.json's "cairn" from source, electron-builder's productName "Cairn"
 * installed), and on a case-insensitive disk (macOS, Windows) those are one folder: a developer's
 * `npm start` would open the clinic's real database. Names that differ by more than case keep them apart.
 */
export const DATA_FOLDER = { installed: 'Cairn', development: 'Cairn Development' } as const;

export interface ShellPaths {
  userData: string;
  /** Migrations, templates and code sets (extraResources when installed, the repository's resources/ from source). */
  resourcesDir: string;
  /** The Electron build of better-sqlite3, or null to let the module find its own (it would be Node's). */
  sqliteBinding: string | null;
}

/**
 * Sets the data folder (call before anything reads it: the single-instance lock lives there) and
 * works out where the app's resources and its database module are.
 */
export function shellPaths(app: ShellApp, o: { resourcesPath: string; appPath: string; exists?: (p: string) => boolean }): ShellPaths {
  const exists = o.exists ?? existsSync;
  const userData = join(app.getPath('appData'), app.isPackaged ? DATA_FOLDER.installed : DATA_FOLDER.development);
  app.setPath('userData', userData);
  const resourcesDir = app.isPackaged ? join(o.resourcesPath, 'resources') : join(o.appPath, 'resources');
  // Installed: shipped beside app.asar (electron-builder.yml). From source: what `npm start` built in .cairn-electron.
  const binding = app.isPackaged
    ? join(o.resourcesPath, 'native', 'better_sqlite3.node')
    : join(o.appPath, '.cairn-electron', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return { userData, resourcesDir, sqliteBinding: exists(binding) ? binding : null };
}
