import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the `resources/` folder that ships with Cairn: CAIRN_RESOURCES_DIR when set (the packaged
 * app sets it to process.resourcesPath), else the nearest `resources/` above this module, which
 * covers running from source (tsx, vitest) and from the electron-vite build in out/.
 */
export function defaultResourcesDir(from: string = import.meta.url): string {
  const env = process.env['CAIRN_RESOURCES_DIR'];
  if (env) return env;
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'migrations', 'client'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('Cairn resources folder not found; set CAIRN_RESOURCES_DIR');
    dir = up;
  }
}
