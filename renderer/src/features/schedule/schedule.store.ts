import { create } from 'zustand';
import { addDays, minutesHhmm, wallTime, zonedInstant } from '../../../../shared/domain/dates';
import type { ScheduleConfig } from '../../../../shared/domain/schedule';
import { api } from '../../lib/api';
import { clearedOnSignOut } from '../../stores/sign-out';

export interface Provider {
  id: string;
  displayName: string;
  role: string;
}

interface ScheduleStore {
  config: ScheduleConfig | null;
  providers: Provider[];
  error: string | null;
  /** Loads the types, hours, rooms and providers once per signed-in screen. */
  load: () => Promise<void>;
}

export const useSchedule = clearedOnSignOut(
  create<ScheduleStore>()((set, get) => ({
    config: null,
    providers: [],
    error: null,
    async load() {
      if (get().config) return;
      const [config, providers] = await Promise.all([api['schedule.config']({}), api['schedule.providers']({})]);
      if (!config.ok) return set({ error: config.error.message });
      if (!providers.ok) return set({ error: providers.error.message });
      set({ config: config.value, providers: providers.value, error: null });
    },
  })),
);

/** Today's date in the clinic's zone. */
export function clinicToday(tz: string, now = Date.now()): string {
  return wallTime(now, tz).date;
}

/** "09:40" in the clinic's zone. */
export function clinicTime(iso: string, tz: string): string {
  return minutesHhmm(wallTime(Date.parse(iso), tz).minutes);
}

/** The UTC range of `days` clinic days from `date`. */
export function clinicRange(date: string, days: number, tz: string): { from: string; to: string } {
  return { from: new Date(zonedInstant(date, 0, tz)).toISOString(), to: new Date(zonedInstant(addDays(date, days), 0, tz)).toISOString() };
}

/** The Monday of the week holding `date`. */
export function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return addDays(date, -((dow + 6) % 7));
}

/** "Mon 2 Mar": a day heading. */
export function dayLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
}
