import { readClinic, writeClinic } from '../clinic-settings';
import type { securityChannels } from '../../../shared/api/security.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The security area's handlers, one per channel of shared/api/security.contract.ts. */
export function securityHandlers({ session, now }: HandlerContext): AreaHandlers<typeof securityChannels> {
  return {
    'session.status': () => session.status(),
    'session.setup': (i) => session.setup(i),
    'session.unlock': (i) => session.unlock(i.passphrase),
    'session.login': (i) => session.login(i.username, i.password),
    'session.logout': () => session.logout(),
    'session.lock': () => session.lock(),
    'settings.autoLock': (i) => ({ minutes: session.setAutoLockMinutes(i.minutes) }),
    'settings.clinic': () => readClinic(session.repos.store.sqlite),
    'settings.setClinic': (i, me) => writeClinic(session.repos.store.sqlite, session.repos.audit, i, me.actor.userId, now().toISOString()),
    'audit.search': (i, me) => {
      const audit = session.repos.audit;
      const rows = audit
        .export({ ...(i.patientId && { patientId: i.patientId }), ...(i.from && { from: i.from }), ...(i.to && { to: i.to }) })
        .filter((e) => (!i.userId || e.userId === i.userId) && (!i.action || e.action.startsWith(i.action)));
      const chainIntact = audit.firstBroken() === null;
      // Viewing the audit is itself audited; the viewer lists newest first.
      session.repos.writer.read('audit.view', me.actor, i.patientId ?? null);
      return { entries: rows.reverse().slice(0, i.limit), chainIntact };
    },
    'users.list': () => session.repos.users.list(),
    'users.create': (i, me) => session.repos.users.create(i, me.actor.userId),
    'users.update': (i, me) => session.repos.users.setPrescriberIds(i.username, { npi: i.npi, dea: i.dea }, me.actor.userId),
    'users.disable': (i, me) => session.repos.users.setDisabled(i.username, true, me.actor.userId),
    'users.enable': (i, me) => session.repos.users.setDisabled(i.username, false, me.actor.userId),
    'users.resetPassword': async (i, me) => {
      const myId = me.actor.userId;
      const reset = await session.repos.users.resetPassword(i.username, i.password, myId);
      // Resetting one's own password keeps this session; every other session of that user ends.
      if (reset.id === myId) session.acceptOwnPasswordChange();
      return reset;
    },
  };
}
