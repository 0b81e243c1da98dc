import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { appointmentTypesFile, clinicHoursFile, type ScheduleConfig } from '../../../shared/domain/schedule';

const cache = new Map<string, ScheduleConfig>();

function readJson<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * Loads resources/schedule/appointment-types.json and clinic-hours.json (validated), once per
 * resources folder. Throws with the file and the problem when either is malformed.
 */
export function loadScheduleConfig(resourcesDir: string): ScheduleConfig {
  const hit = cache.get(resourcesDir);
  if (hit) return hit;
  const dir = join(resourcesDir, 'schedule');
  const config: ScheduleConfig = {
    types: readJson(join(dir, 'appointment-types.json'), appointmentTypesFile).types,
    hours: readJson(join(dir, 'clinic-hours.json'), clinicHoursFile),
  };
  cache.set(resourcesDir, config);
  return config;
}
