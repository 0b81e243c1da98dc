import type { Out, Parsed } from '../../shared/api/contract';
import type { Channel } from '../../shared/api/channels';
import type { Role } from '../../shared/domain/user';
import type { Session } from './session';

export type Handler<C extends Channel> = (input: Parsed<C>) => Out<C> | Promise<Out<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

/** Who may register and edit demographics; notes and results get their own rules later. */
const DEMOGRAPHICS_WRITE: readonly Role[] = ['physician', 'nurse', 'front_desk', 'admin'];

/** The handlers behind every channel, built from ports (no globals) so tests use real temp files. */
export function createHandlers({ session }: { session: Session }): Handlers {
  return {
    'session.status': () => session.status(),
    'session.setup': (i) => session.setup(i),
    'session.unlock': (i) => session.unlock(i.passphrase),
    'session.login': (i) => session.login(i.username, i.password),
    'session.logout': () => session.logout(),
    'session.lock': () => session.lock(),
    'patients.create': (i) => session.repos.patients.create(i, { userId: session.requireUser(DEMOGRAPHICS_WRITE).id }),
    'patients.update': (i) => session.repos.patients.update(i, { userId: session.requireUser(DEMOGRAPHICS_WRITE).id }),
    'patients.get': (i) => session.repos.patients.get(i.id, { userId: session.requireUser().id }),
    'patients.search': (i) => session.repos.patients.search(i.query, i.limit, { userId: session.requireUser().id }),
    'patients.chartHeader': (i) => {
      const user = session.requireUser();
      const patient = session.repos.patients.get(i.id, { userId: user.id }, 'chart.open');
      return { patient, allergyStatus: session.repos.patients.allergyStatus(i.id) };
    },
  };
}
