// Child process for the crash test: writes patients forever, printing each MRN after its commit.
import { unlockDatabase } from '../../electron/services/db/open';
import { defaultResourcesDir } from '../../electron/services/paths';
import { createRepos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';

const [file, passphrase] = process.argv.slice(2) as [string, string];
const { store } = await unlockDatabase(file, passphrase, { resourcesDir: defaultResourcesDir() });
const repos = createRepos(store);
for (let i = 0; ; i++) {
  const p = repos.patients.create(patientInput.parse({ givenName: `Crash${i}`, familyName: 'Durable', birthDate: '1990-01-01' }), { userId: 'crash-test' });
  process.stdout.write(`committed ${p.mrn}\n`);
}
