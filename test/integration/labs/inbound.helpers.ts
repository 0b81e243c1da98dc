import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../../electron/services/db/open';
import { Hl7Ingest } from '../../../electron/services/labs/ingest';
import { createRepos, type Repos } from '../../../electron/services/repos';
import { newId } from '../../../electron/common/ids';
import { patientInput, type Patient } from '../../../shared/domain/patient';
import { newStore, tempDir } from '../../helpers/temp-db';
import { ADMIN, FIXTURES } from './labs.helpers';

// The setup the inbound (MDM, VXU, ADT notices, REF) tests share: an encrypted temp database, the
// ingest reading offset-less times in the clinic's zone, and the synthetic charts the fixtures name.

export const INBOUND = join(FIXTURES, 'inbound');
export const inbound = (name: string): string => readFileSync(join(INBOUND, name), 'latin1');
export const inboundNames = (): string[] =>
  readdirSync(INBOUND)
    .filter((f) => f.endsWith('.hl7'))
    .sort();
export const ZONE = 'America/Chicago';

export interface InboundDb {
  store: Store;
  repos: Repos;
  ingest: Hl7Ingest;
  count: (sql: string, ...p: unknown[]) => number;
  row: <T>(sql: string, ...p: unknown[]) => T;
  rows: <T>(sql: string, ...p: unknown[]) => T[];
  close: () => void;
}

export async function openInbound(prefix: string): Promise<InboundDb> {
  const t = tempDir(prefix);
  const { store } = await newStore(t.dir);
  const repos = createRepos(store);
  return {
    store,
    repos,
    ingest: new Hl7Ingest(repos, { timeZone: ZONE }),
    count: (sql, ...p) => (store.sqlite.prepare(sql).get(...p) as { n: number }).n,
    row: <T>(sql: string, ...p: unknown[]) => store.sqlite.prepare(sql).get(...p) as T,
    rows: <T>(sql: string, ...p: unknown[]) => store.sqlite.prepare(sql).all(...p) as T[],
    close: () => {
      store.close();
      t.cleanup();
    },
  };
}

/** The synthetic patients the fixtures are about (matched by name and birth date). */
export function addPatient(repos: Repos, who: 'grace' | 'harold' | 'sam'): Patient {
  const p = {
    grace: {
      givenName: 'Grace',
      familyName: 'Okafor',
      middleName: 'Adaeze',
      birthDate: '1968-04-23',
      sex: 'female',
      phone: '(608)555-0142',
      address: { line1: '418 Birch Hollow Rd', city: 'Madison', state: 'WI', postalCode: '53711', country: 'USA' },
    },
    harold: {
      givenName: 'Harold',
      familyName: 'Bjornson',
      middleName: 'T',
      birthDate: '1944-11-30',
      sex: 'male',
      phone: '608-555-0199',
      address: { line1: '22 Lake View Dr Apt 3', city: 'Middleton', state: 'WI', postalCode: '53562', country: '' },
    },
    sam: { givenName: 'Samuel', familyName: 'Lindqvist', birthDate: '2019-06-02', sex: 'male' },
  }[who];
  return repos.patients.create(patientInput.parse(p), ADMIN);
}

/** An order of this chart with this placer number (as the order screens would have written it). */
export function addOrder(db: InboundDb, patientId: string, placer: string, category: 'lab' | 'imaging'): string {
  const id = newId();
  const at = new Date().toISOString();
  db.store.sqlite
    .prepare(
      `INSERT INTO lab_orders (id, created_at, created_by, updated_at, updated_by, version, patient_id, placer_number, tests, status, ordered_at, category)
       VALUES (?, ?, 'test-admin', ?, 'test-admin', 1, ?, ?, ?, 'ordered', ?, ?)`,
    )
    .run(id, at, at, patientId, placer, JSON.stringify([{ loinc: '18748-4', display: 'Diagnostic imaging study' }]), at, category);
  return id;
}
