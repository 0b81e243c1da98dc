import { appointmentTypesFile, clinicHoursFile, type ScheduleConfig } from '../../../shared/domain/schedule';
import type { Resources } from '../resources/resources';

/**
 * Loads resources/schedule/appointment-types.json and clinic-hours.json (validated), once per
 * session. Throws (a ResourceError naming the file and the JSON path) when either is malformed.
 */
export function loadScheduleConfig(resources: Resources): ScheduleConfig {
  return resources.derived('schedule', () => ({
    types: resources.json('schedule/appointment-types.json', appointmentTypesFile).types,
    hours: resources.json('schedule/clinic-hours.json', clinicHoursFile),
  }));
}

/** The clinic's IANA zone (clinic-hours.json): "today", a visit's date and every report's days are its calendar days. */
export function clinicZoneOf(resources: Resources): string {
  return loadScheduleConfig(resources).hours.timeZone;
}
