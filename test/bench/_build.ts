import { openPlainForBenchmark } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { defaultResourcesDir } from '../../electron/services/paths';
import { createPatientGenerator } from './generate';
const store = openPlainForBenchmark('/tmp/cb/scratch.sqlite', { resourcesDir: defaultResourcesDir() });
const repos = createRepos(store);
const gen = createPatientGenerator(20240304);
for (let i = 0; i < 20; i++) { const rows = gen.take(5000); store.sqlite.transaction(() => { for (const r of rows) repos.patients.create(r, { userId: 'u' }); })(); }
store.close();
console.log('done');
