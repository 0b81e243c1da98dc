// Child process for the sync crash tests. Modes:
//   write USER  — writes patients forever, printing "committed N" after each commit;
//   sync USER   — syncs once with small batches and pages, printing progress lines, then "done".
import { unlockDatabase } from '../../electron/services/db/open';
import { defaultResourcesDir } from '../../electron/services/paths';
import { createRepos } from '../../electron/services/repos';
import { clientFor } from '../../electron/services/sync';
import { patientInput } from '../../shared/domain/patient';

const [file, passphrase, mode, userId] = process.argv.slice(2) as [string, string, 'write' | 'sync', string];
const { store } = await unlockDatabase(file, passphrase, { resourcesDir: defaultResourcesDir() });
const repos = createRepos(store);
if (mode === 'write') {
  for (let i = 0; ; i++) {
    repos.patients.create(patientInput.parse({ givenName: `Crash${i}`, familyName: 'Offline', birthDate: '1990-01-01' }), { userId });
    process.stdout.write(`committed ${i + 1}\n`);
  }
} else {
  const client = clientFor(store, repos, () => userId, {
    pushBatch: 20,
    pullPage: 25,
    onProgress: (p) => process.stdout.write(`${p.phase} ${p.done}/${p.total}\n`),
  });
  const s = await client.syncOnce();
  process.stdout.write(`done ${JSON.stringify(s)}\n`);
}
