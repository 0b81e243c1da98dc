import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unlockDatabase } from '../../electron/services/db/open';
import { cairn, CLI_ENV } from '../helpers/cli';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const FIXTURES = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');
const EBONI = join(FIXTURES, 'Eboni_Brekke_ae30c5e1-23da-4ecd-a320-a2c6047f3a19.json');
const CLARENCE = join(FIXTURES, 'Clarence_Mills_0753ad6c-5935-4faa-9cfe-b7269e963d77.json');

interface Summary {
  bundles: number;
  patients: Record<string, number>;
  byType: Record<string, Record<string, number>>;
  errors: { source: string; index: number | null; path: string; message: string }[];
}

describe('cairn import fhir / export fhir / import csv', () => {
  const t = tempDir('cairn-fhir-cli-');
  const db = join(t.dir, 'clinic.cairn');
  const empty = join(t.dir, 'empty.cairn');
  afterAll(() => t.cleanup());

  it('imports bundles with a JSON summary, re-imports as a no-op, exports NDJSON and a Bundle that imports into an empty database', async () => {
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
    const r = cairn(['import', 'fhir', '--db', db, EBONI, CLARENCE]);
    expect(r.err).toBe(''); // no progress bar when stderr is not a TTY
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as Summary;
    expect(s.bundles).toBe(2);
    expect(s.patients).toEqual({ imported: 2, updated: 0, unchanged: 0, failed: 0 });
    expect(s.byType['Immunization']).toMatchObject({ imported: 17 });
    expect(s.byType['Claim']).toMatchObject({ skipped: 36 });

    const again = JSON.parse(cairn(['import', 'fhir', '--db', db, EBONI, CLARENCE]).out) as Summary;
    expect(again.patients).toEqual({ imported: 0, updated: 0, unchanged: 2, failed: 0 });
    expect(again.byType['Observation']).toMatchObject({ imported: 0, updated: 0, unchanged: 117 });

    const search = JSON.parse(cairn(['patients', 'search', '--db', db, 'Mills']).out) as { id: string }[];
    expect(search).toHaveLength(1);
    const id = search[0]!.id;
    const out = join(t.dir, 'export');
    const e = cairn(['export', 'fhir', '--db', db, '--out', out, '--patient', id]);
    expect(e.code).toBe(0);
    const ex = JSON.parse(e.out) as { files: Record<string, number>; bundle: string };
    expect(ex.files).toMatchObject({
      Patient: 1,
      Encounter: 7,
      Observation: 63,
      Immunization: 7,
      Condition: 3,
      DiagnosticReport: 5,
      Procedure: 1,
      CarePlan: 1,
      MedicationRequest: 1,
    });
    const lines = readFileSync(join(out, 'Observation.ndjson'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(63);
    expect((JSON.parse(lines[0]!) as { resourceType: string }).resourceType).toBe('Observation');
    expect(existsSync(ex.bundle)).toBe(true);

    // The patient's Bundle into an empty database, then the NDJSON files into another.
    expect(cairn(['init', '--db', empty, '--admin', 'bob']).code).toBe(0);
    const back = JSON.parse(cairn(['import', 'fhir', '--db', empty, ex.bundle]).out) as Summary;
    expect(back.errors).toEqual([]);
    expect(back.patients.imported).toBe(1);
    const ndjsonDb = join(t.dir, 'ndjson.cairn');
    expect(cairn(['init', '--db', ndjsonDb, '--admin', 'carol']).code).toBe(0);
    const order = ['Patient', 'Encounter', 'Condition', 'Observation', 'DiagnosticReport', 'MedicationRequest', 'Immunization', 'Procedure', 'CarePlan'].map(
      (f) => join(out, `${f}.ndjson`),
    );
    const nd = JSON.parse(cairn(['import', 'fhir', '--db', ndjsonDb, ...order]).out) as Summary;
    expect(nd.errors).toEqual([]);
    expect(nd.byType['Observation']).toMatchObject({ imported: 63 });

    const { store } = await unlockDatabase(empty, CLI_ENV.CAIRN_PASSPHRASE, { resourcesDir });
    try {
      const n = (sql: string): number => (store.sqlite.prepare(sql).get() as { n: number }).n;
      expect([
        n('SELECT count(*) AS n FROM patients'),
        n('SELECT count(*) AS n FROM observations'),
        n(`SELECT count(*) AS n FROM conditions WHERE icd10 = 'J20.9'`),
      ]).toEqual([1, 63, 1]);
      expect(store.sqlite.prepare('SELECT given_name, family_name, birth_date FROM patients').get()).toEqual({
        given_name: 'Clarence',
        family_name: 'Mills',
        birth_date: '1980-05-29',
      });
    } finally {
      store.close();
    }
  });

  it('a broken bundle: exit 1, the error names the entry and the path', () => {
    const broken = JSON.parse(readFileSync(CLARENCE, 'utf8')) as { entry: { resource: Record<string, unknown> }[] };
    broken.entry[0]!.resource['birthDate'] = '1980-02-30';
    const file = join(t.dir, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const fresh = join(t.dir, 'fresh.cairn');
    expect(cairn(['init', '--db', fresh, '--admin', 'dave']).code).toBe(0);
    const r = cairn(['import', 'fhir', '--db', fresh, file]);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.out) as Summary;
    expect(s.errors).toEqual([
      {
        source: file,
        index: 0,
        path: 'entry[0].resource.birthDate',
        resourceType: 'Patient',
        message: 'birth date "1980-02-30" is not a full calendar date (YYYY-MM-DD)',
      },
    ]);
    expect(s.patients).toMatchObject({ imported: 0, failed: 1 });
    expect(s.byType['Observation']).toMatchObject({ imported: 0, notApplied: 59 });
  });

  it('usage mistakes are one line and exit 2', () => {
    expect(cairn(['import', 'fhir', '--db', db])).toMatchObject({ code: 2, err: 'cairn: missing the bundle files to import (see cairn --help)\n' });
    expect(cairn(['import', 'fhir', '--db', db, '--bogus', EBONI])).toMatchObject({ code: 2, err: 'cairn: unknown option --bogus (see cairn --help)\n' });
    expect(cairn(['export', 'fhir', '--db', db, '--out', t.dir, '--patient', 'nope'])).toMatchObject({
      code: 2,
      err: 'cairn: --patient must be a patient id (see cairn --help)\n',
    });
    expect(cairn(['import', 'fhir', '--db', db, join(t.dir, 'missing.json')])).toMatchObject({ code: 2 });
  });

  it('CSV demographics: accepted rows registered, every rejected row with its line number and reason', () => {
    const csv = join(t.dir, 'legacy.csv');
    writeFileSync(
      csv,
      [
        'Chart,Last,First,DOB,Sex,Phone',
        'L-1,Nguyen,Anh,03/14/1975,F,(555) 201-3344',
        'L-2,Okafor,Chidi,1975-03-14,M,',
        'L-3,,Bea,01/02/1990,F,',
        'L-4,Smith,"Jo, Jr",02/30/1990,X,',
        'L-5,"Multi',
        'line",Zed,12/31/1999,M,555-1',
        'L-6,Ruiz,Ana,07/04/1988,u,',
      ].join('\n') + '\n',
    );
    const mapping = join(t.dir, 'map.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        columns: {
          familyName: 'Last',
          givenName: 'First',
          birthDate: { column: 'DOB', format: 'MM/DD/YYYY' },
          sex: { column: 'Sex', values: { F: 'female', M: 'male', U: 'unknown' } },
          phone: 'Phone',
        },
        identifiers: [{ column: 'Chart', system: 'urn:legacy:chart', type: 'MR' }],
      }),
    );
    const r = cairn(['import', 'csv', '--db', db, '--mapping', mapping, csv]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as { rows: number; accepted: number; rejected: { line: number; reason: string }[] };
    expect(out.rows).toBe(6);
    expect(out.accepted).toBe(2);
    expect(out.rejected).toEqual([
      { line: 3, reason: 'birthDate: "1975-03-14" does not match the date format MM/DD/YYYY' },
      { line: 4, reason: 'familyName: family name is required' },
      { line: 5, reason: 'birthDate: "02/30/1990" does not match the date format MM/DD/YYYY' },
      { line: 7, reason: 'phone: phone must have 7 to 15 digits' },
    ]);
    const found = JSON.parse(cairn(['patients', 'search', '--db', db, 'Nguyen']).out) as { birthDate: string; sex: string; phone: string }[];
    expect(found).toMatchObject([{ birthDate: '1975-03-14', sex: 'female', phone: '(555) 201-3344' }]);
    expect(JSON.parse(cairn(['patients', 'search', '--db', db, 'L-6']).out)).toMatchObject([{ familyName: 'Ruiz', sex: 'unknown' }]);

    writeFileSync(mapping, JSON.stringify({ columns: { givenName: 'First' } }));
    expect(cairn(['import', 'csv', '--db', db, '--mapping', mapping, csv])).toMatchObject({
      code: 2,
      err: expect.stringContaining('the mapping must name the givenName, familyName and birthDate columns') as string,
    });
  });
});
