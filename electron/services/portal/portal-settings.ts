import { portalSettingsFile, type PortalSettings } from '../../../shared/domain/portal';
import type { Resources } from '../resources/resources';

export const PORTAL_SETTINGS_FILE = 'portal/portal-settings.json';

/**
 * The clinic's portal settings (resources/portal/portal-settings.json). A missing file gives the
 * schema's defaults; a broken one is named in `problem` and the defaults are used, so an invitation
 * letter can still be printed (with the default address, which the screen should flag).
 */
export function portalSettings(resources: Resources): { settings: PortalSettings; fromFile: boolean; problem: string | null } {
  if (!resources.exists(PORTAL_SETTINGS_FILE)) return { settings: portalSettingsFile.parse({}), fromFile: false, problem: null };
  const r = resources.tryJson(PORTAL_SETTINGS_FILE, portalSettingsFile);
  if ('value' in r) return { settings: r.value, fromFile: true, problem: null };
  return { settings: portalSettingsFile.parse({}), fromFile: false, problem: `${r.problem.file}: ${r.problem.message}` };
}
