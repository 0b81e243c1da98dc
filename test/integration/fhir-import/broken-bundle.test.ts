import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../electron/services/db/open';
import { FhirImporter } from '../../../electron/services/fhir/import';
import { createRepos, type Repos } from '../../../electron/services/repos';
import { newStore, tempDir } from '../../helpers/temp-db';
import { ACTOR, CLARENCE, count, EBONI, text } from './fhir-import.helpers';

describe('a broken bundle', () => {
  const t = tempDir('cairn-fhir-broken-');
  let store: Store;
  let repos: Repos;
  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  it('reports the entry index and JSON path and applies nothing of that patient, the other patients still import', () => {
    const broken = JSON.parse(text(EBONI)) as { entry: { resource: Record<string, unknown> }[] };
    const index = broken.entry.findIndex((e) => e.resource['resourceType'] === 'Immunization');
    broken.entry[index]!.resource['occurrenceDateTime'] = '2011-13-45';
    const importer = new FhirImporter(repos, ACTOR);
    // In one batch (as the CLI runs): the broken patient's savepoint is rolled back, the other one kept.
    importer.batch(() => {
      importer.importJson(broken, 'eboni-broken.json');
      importer.importText(text(CLARENCE), CLARENCE);
    });
    const s = importer.summary;
    expect(s.errors).toEqual([
      {
        source: 'eboni-broken.json',
        index,
        path: `entry[${index}].resource.occurrenceDateTime`,
        resourceType: 'Immunization',
        message: '"2011-13-45" is not a FHIR date or dateTime',
      },
    ]);
    expect(s.patients).toEqual({ imported: 1, updated: 0, unchanged: 0, failed: 1 });
    expect(s.byType['Immunization']).toMatchObject({ errors: 1, notApplied: 9, imported: 7 });
    // Claims are skipped whether or not their patient imported (Eboni 28, Clarence 8).
    expect(s.byType['Claim']).toMatchObject({ skipped: 36, notApplied: 0 });
    const db = store.sqlite;
    expect(count(db, `SELECT count(*) FROM patients WHERE family_name = 'Brekke'`)).toBe(0);
    expect(count(db, 'SELECT count(*) FROM patients')).toBe(1);
    expect(count(db, `SELECT count(*) FROM fhir_import_sources WHERE source_id = 'bb7fb8e1-1a76-4328-92ea-3852f34846e6'`)).toBe(0);
    expect(count(db, 'SELECT count(*) FROM observations o LEFT JOIN patients p ON p.id = o.patient_id WHERE p.id IS NULL')).toBe(0);
  });

  it('a patient without a birth date, a bundle that is not a bundle, and a resource pointing at no patient', () => {
    const b = JSON.parse(text(CLARENCE)) as { entry: { resource: Record<string, unknown> }[] };
    delete b.entry[0]!.resource['birthDate'];
    const obs = b.entry.findIndex((e) => e.resource['resourceType'] === 'Observation');
    b.entry[obs]!.resource['subject'] = { reference: 'urn:uuid:nobody' };
    const importer = new FhirImporter(repos, ACTOR);
    importer.importJson(b, 'b.json');
    importer.importJson({ resourceType: 'Patient' }, 'p.json');
    importer.importText('{not json', 'x.json');
    const paths = importer.summary.errors.map((e) => `${e.source} ${e.path}`);
    expect(paths).toEqual([`b.json entry[${obs}].resource.subject.reference`, 'b.json entry[0].resource.birthDate', 'p.json resourceType', 'x.json ']);
    expect(importer.summary.errors[1]!.message).toBe('the patient has no birth date');
  });
});
