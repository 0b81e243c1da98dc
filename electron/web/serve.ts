import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setDispatchLogger } from '../services/dispatch';
import { createHandlers } from '../services/handlers';
import { createLogger } from '../services/log';
import { defaultResourcesDir } from '../services/paths';
import { Session } from '../services/session';
import { inProcessRunner, SessionSync } from '../services/sync';
import { startWebServer } from './web-server';

// `npm run dev:web [-- --db FILE --port N --renderer DIR]`: the renderer in an ordinary browser, backed by
// the real services in this process. Loopback only; the token in the printed URL guards it.
const { values } = parseArgs({
  options: { db: { type: 'string', default: 'cairn-dev.cairn' }, port: { type: 'string', default: '5199' }, renderer: { type: 'string' } },
  strict: true,
});
const resourcesDir = defaultResourcesDir();
// --renderer DIR: another build of the renderer (tests serve a small page of their own).
const rendererDir = resolve(values.renderer ?? resolve(resourcesDir, '..', 'out', 'renderer'));
if (!existsSync(join(rendererDir, 'index.html'))) {
  process.stderr.write('cairn dev:web: the renderer is not built; run "npm run build" first\n');
  process.exit(1);
}
setDispatchLogger(createLogger());
const session = new Session({
  dbFile: resolve(values.db),
  resourcesDir,
  backgroundCheckpoints: true,
  onCheckpointError: (m) => void process.stderr.write(`cairn dev:web: checkpoint: ${m}\n`),
});
const token = randomBytes(24).toString('base64url');
// Sync runs on this thread here; the desktop app runs it in a worker thread.
const sync = new SessionSync(session, () => inProcessRunner(session.repos.store, session.repos));
const server = await startWebServer({ handlers: createHandlers({ session, sync }), rendererDir, token, port: Number(values.port) });
process.stdout.write(
  `Cairn (web) on ${server.url}?token=${token}\ndatabase: ${resolve(values.db)}${existsSync(values.db) ? '' : ' (new: the page will set it up)'}\n`,
);
const stop = (): void => {
  void sync.stop();
  session.close();
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
