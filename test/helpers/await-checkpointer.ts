// Child process for the checkpointer test: a script whose only pending work is `await ready`, at the
// top level, with nothing else keeping Node's event loop alive. It must be kept waiting, not exit.
import { startCheckpointer } from '../../electron/services/db/checkpointer';
import { unlockDatabase } from '../../electron/services/db/open';
import { defaultResourcesDir } from '../../electron/services/paths';

const [file, passphrase] = process.argv.slice(2) as [string, string];
const { store } = await unlockDatabase(file, passphrase, { resourcesDir: defaultResourcesDir() });
const checkpointer = startCheckpointer(store);
await checkpointer.ready;
const stats = checkpointer.stats();
await checkpointer.stop();
store.close();
process.stdout.write(`${JSON.stringify(stats)}\n`);
