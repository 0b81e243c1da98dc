import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appointmentTypesFile, clinicHoursFile, type AppointmentType } from '../../../shared/domain/schedule';
import { noteTemplate, type NoteTemplate } from '../../../shared/domain/templates';

/**
 * What the portal's read model names things with, read once from the server's resources folder:
 * vaccine names (CVX), note templates (to render signed notes as the desktop prints them),
 * appointment types, and the clinic's time zone. A broken file is named in the log and skipped.
 */
export interface PortalCatalog {
  vaccines: Map<string, string>;
  templates: Map<string, NoteTemplate>;
  appointmentTypes: AppointmentType[];
  timeZone: string;
}

function readJson(file: string, log: (line: string) => void): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    log(`portal: ${file} could not be read (${e instanceof Error ? e.message : String(e)}); it is skipped`);
    return undefined;
  }
}

function vaccines(resourcesDir: string, log: (line: string) => void): Map<string, string> {
  const out = new Map<string, string>();
  const file = join(resourcesDir, 'codesets', 'cvx.tsv');
  if (!existsSync(file)) {
    log(`portal: ${file} is missing; vaccines are named by their CVX code`);
    return out;
  }
  const [head, ...lines] = readFileSync(file, 'utf8').split('\n');
  const cols = (head ?? '').split('\t');
  const code = cols.indexOf('cvx_code');
  const name = cols.indexOf('short_description');
  for (const l of lines) {
    const f = l.split('\t');
    const cvx = f[code]?.trim();
    if (cvx) out.set(cvx, f[name]?.trim() || cvx);
  }
  return out;
}

function templates(resourcesDir: string, log: (line: string) => void): Map<string, NoteTemplate> {
  const out = new Map<string, NoteTemplate>();
  const dir = join(resourcesDir, 'templates');
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const raw = readJson(join(dir, f), log);
    if (raw === undefined) continue;
    const t = noteTemplate.safeParse(raw);
    if (t.success) out.set(t.data.id, t.data);
    else log(`portal: note template ${join(dir, f)} is not valid; notes made with it are shown field by field`);
  }
  return out;
}

export function loadCatalog(resourcesDir: string, log: (line: string) => void = (l) => console.error(l)): PortalCatalog {
  const typesFile = join(resourcesDir, 'schedule', 'appointment-types.json');
  const types = existsSync(typesFile) ? appointmentTypesFile.safeParse(readJson(typesFile, log)) : null;
  if (types && !types.success) log(`portal: ${typesFile} is not valid; appointments are named by their type id`);
  const hoursFile = join(resourcesDir, 'schedule', 'clinic-hours.json');
  const hours = existsSync(hoursFile) ? clinicHoursFile.safeParse(readJson(hoursFile, log)) : null;
  return {
    vaccines: vaccines(resourcesDir, log),
    templates: templates(resourcesDir, log),
    appointmentTypes: types?.success ? types.data.types : [],
    timeZone: hours?.success ? hours.data.timeZone : 'UTC',
  };
}
