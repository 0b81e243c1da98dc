import { loadScheduleConfig } from './schedule-config';
import type { scheduleChannels } from '../../../shared/api/schedule.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The schedule area's handlers, one per channel of shared/api/schedule.contract.ts. */
export function scheduleHandlers({ session, now, services }: HandlerContext): AreaHandlers<typeof scheduleChannels> {
  return {
    'schedule.config': () => {
      return loadScheduleConfig(session.repos.resources);
    },
    'schedule.providers': () => {
      return services().schedule.providers();
    },
    'schedule.list': (i, me) => {
      // Names across charts: listing them is audited like a search.
      const v = me.viewer;
      session.repos.writer.read('appointment.list', v, null);
      return services().schedule.list(i, v.mayOpen);
    },
    'schedule.freeSlot': (i) => {
      return services().schedule.freeSlot(i.providerId, i.minutes, i.from ? Date.parse(i.from) : now().getTime(), i.room);
    },
    'schedule.book': (i, me) => services().schedule.book(i, me.actor),
    'schedule.reschedule': (i, me) => services().schedule.reschedule(i, me.actor),
    'schedule.cancel': (i, me) => services().schedule.cancel(i, me.actor),
    'schedule.advance': (i, me) => services().schedule.advance(i, me.actor),
  };
}
