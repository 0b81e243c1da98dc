import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../electron/services/db/open';
import { exportPatientBundle, exportResources } from '../../../electron/services/fhir/export';
import { FhirImporter } from '../../../electron/services/fhir/import';
import { createRepos } from '../../../electron/services/repos';
import { validateFhir } from '../../helpers/fhir-validate';
import { newStore, tempDir } from '../../helpers/temp-db';
import { ACTOR, all, chart, files, importAll, one } from './fhir-import.helpers';

describe('export → re-import into an empty database', () => {
  const t = tempDir('cairn-fhir-roundtrip-');
  const u = tempDir('cairn-fhir-roundtrip-empty-');
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    ({ store: a } = await newStore(t.dir));
    ({ store: b } = await newStore(u.dir, 'another clinic passphrase'));
    importAll(createRepos(a), files);
  });
  afterAll(() => {
    a.close();
    b.close();
    t.cleanup();
    u.cleanup();
  });

  it('gives the same chart for every patient, and every exported resource validates against FHIR R4', () => {
    const ids = all(a.sqlite, 'SELECT id FROM patients ORDER BY family_name').map((r) => String(r['id']));
    expect(ids).toHaveLength(12);
    const importer = new FhirImporter(createRepos(b), ACTOR);
    let validated = 0;
    for (const id of ids) {
      const bundle = exportPatientBundle(a.sqlite, id);
      const v = validateFhir(bundle);
      expect(v.issues.slice(0, 5)).toEqual([]);
      validated += bundle.entry!.length;
      importer.importJson(JSON.parse(JSON.stringify(bundle)) as unknown, `export-${id}.json`);
    }
    expect(importer.summary.errors).toEqual([]);
    expect(importer.summary.patients.imported).toBe(12);
    expect(validated).toBeGreaterThan(2500);
    for (const id of ids) {
      const family = String(one(a.sqlite, 'SELECT family_name FROM patients WHERE id = ?', id)['family_name']);
      const other = String(one(b.sqlite, 'SELECT id FROM patients WHERE family_name = ?', family)['id']);
      expect(chart(b.sqlite, other)).toEqual(chart(a.sqlite, id));
    }
  });

  it('the system-level export (every resource type, practitioners included) validates too', () => {
    const issues: string[] = [];
    let n = 0;
    for (const r of exportResources(a.sqlite)) {
      n++;
      const v = validateFhir(r);
      if (!v.ok) issues.push(`${r.resourceType}/${r.id!}: ${v.issues.join('; ')}`);
    }
    expect(n).toBeGreaterThan(2500);
    expect(issues.slice(0, 5)).toEqual([]);
  });
});
