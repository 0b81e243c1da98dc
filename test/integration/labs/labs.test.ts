import { afterAll, beforeAll, describe } from 'vitest';
import type { Store } from '../../../electron/services/db/open';
import { Hl7Ingest } from '../../../electron/services/labs/ingest';
import { createRepos, type Repos } from '../../../electron/services/repos';
import { newStore, tempDir } from '../../helpers/temp-db';
import type { LabsSuite } from './labs.helpers';
import { messageShapeTests } from './message-shapes.suite';
import { mllpListenerTests } from './mllp-listener.suite';
import { oruAndAdtTests } from './oru-adt.suite';

// One database for every group, in the order the tests were written: later tests build on charts and
// messages earlier ones left (the MLLP tests send results for the Ada Lovelace chart the ORU tests made).
describe('HL7 ingestion into an encrypted database', () => {
  const t = tempDir('cairn-labs-');
  let store: Store;
  let repos: Repos;
  let ingest: Hl7Ingest;

  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
    ingest = new Hl7Ingest(repos);
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  const suite = (): LabsSuite => ({ store, repos, ingest });
  oruAndAdtTests(suite);
  mllpListenerTests(suite);
  messageShapeTests(suite);
});
