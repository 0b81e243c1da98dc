import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/services/db/open';
import { createRepos, type Repos } from '../../electron/services/repos';
import { patientInput, patientUpdate, type PatientInputRaw } from '../../shared/domain/patient';
import { newStore, tempDir } from '../helpers/temp-db';

const actor = { userId: 'tester' };
const people: PatientInputRaw[] = [
  { givenName: 'José', familyName: 'Núñez', birthDate: '1980-03-04', phone: '(617) 555-0101', mrn: 'A-1001' },
  { givenName: 'Josephine', familyName: 'Baker', birthDate: '1906-06-03', phone: '212-555-0199' },
  { givenName: 'Joseph', familyName: "O'Brien", birthDate: '1980-03-04', sex: 'male' },
  { givenName: 'Zoë', familyName: 'Björk-Smith', birthDate: '2019-11-30', sex: 'female', identifiers: [{ system: 'urn:legacy', value: 'LEG778899' }] },
  { givenName: 'Anna', familyName: 'Smith', birthDate: '1975-01-15', phone: '+1 415 555 0123' },
];

describe('patient search (FTS5)', () => {
  const t = tempDir();
  let store: Store;
  let repos: Repos;
  const ids: Record<string, string> = {};
  const names = (q: string): string[] =>
    repos.patients
      .find(q, 25)
      .map((p) => `${p.givenName} ${p.familyName}`)
      .sort((a, b) => a.localeCompare(b));

  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
    for (const p of people) {
      const created = repos.patients.create(patientInput.parse(p), actor);
      ids[created.givenName] = created.id;
    }
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  it('matches name prefixes, ignoring case and accents', () => {
    expect(names('jose')).toEqual(['José Núñez', "Joseph O'Brien", 'Josephine Baker']);
    expect(names('JOSÉ')).toEqual(['José Núñez', "Joseph O'Brien", 'Josephine Baker']);
    expect(names('nunez')).toEqual(['José Núñez']);
    expect(names('zoe bjork')).toEqual(['Zoë Björk-Smith']);
    expect(names('smith')).toEqual(['Anna Smith', 'Zoë Björk-Smith']);
    expect(names('Smith, Anna')).toEqual(['Anna Smith']);
    expect(names("o'brien")).toEqual(["Joseph O'Brien"]);
    expect(names('xavier')).toEqual([]);
  });

  it('finds by birth date typed either way, and only real dates', () => {
    expect(names('1980-03-04')).toEqual(['José Núñez', "Joseph O'Brien"]);
    expect(names('03/04/1980')).toEqual(['José Núñez', "Joseph O'Brien"]);
    expect(names('3/4/1980')).toEqual(['José Núñez', "Joseph O'Brien"]);
    expect(names('02/30/1980')).toEqual([]);
  });

  it('finds by MRN (assigned or given) and other identifiers', () => {
    expect(names('A-1001')).toEqual(['José Núñez']);
    const anna = repos.patients.get(ids['Anna']!, actor);
    expect(anna.mrn).toMatch(/^\d{7}$/);
    expect(repos.patients.find(anna.mrn, 5)[0]?.id).toBe(anna.id);
    expect(names('LEG778899')).toEqual(['Zoë Björk-Smith']);
  });

  it('finds by phone digits however they were typed', () => {
    expect(names('6175550101')).toEqual(['José Núñez']);
    expect(names('617-555-0101')).toEqual(['José Núñez']);
    expect(names('555-0123')).toEqual(['Anna Smith']);
    expect(names('14155550123')).toEqual(['Anna Smith']);
    // A number stored with its +1 is found by its ten digits, as read off a card.
    expect(names('415-555-0123')).toEqual(['Anna Smith']);
  });

  it('treats FTS operators in the query as plain text', () => {
    expect(() => repos.patients.find('smith OR "', 10)).not.toThrow();
    expect(() => repos.patients.find('NEAR(a b)', 10)).not.toThrow();
    expect(names('smith*')).toEqual(['Anna Smith', 'Zoë Björk-Smith']);
  });

  it('keeps the index in step with edits and hides soft-deleted charts', () => {
    const josephine = repos.patients.get(ids['Josephine']!, actor);
    repos.patients.update({ id: josephine.id, expectedVersion: josephine.version, familyName: 'Bouillon' }, actor);
    expect(names('baker')).toEqual([]);
    expect(names('bouillon')).toEqual(['Josephine Bouillon']);
    store.sqlite.prepare(`UPDATE patients SET deleted_at = '2026-01-01T00:00:00Z' WHERE id = ?`).run(josephine.id);
    expect(names('bouillon')).toEqual([]);
  });

  it('changes only the fields an edit sends', () => {
    const zoe = repos.patients.get(ids['Zoë']!, actor);
    const edited = repos.patients.update(patientUpdate.parse({ id: zoe.id, expectedVersion: zoe.version, phone: '617-555-0177' }), actor);
    expect(edited).toMatchObject({ phone: '617-555-0177', sex: zoe.sex, identifiers: zoe.identifiers, birthDate: zoe.birthDate, version: zoe.version + 1 });
    expect(edited.identifiers).toHaveLength(1);
  });

  it('refuses an edit made against a stale version instead of overwriting', () => {
    const anna = repos.patients.get(ids['Anna']!, actor);
    repos.patients.update({ id: anna.id, expectedVersion: anna.version, phone: '415-555-0999' }, actor);
    expect(() => repos.patients.update({ id: anna.id, expectedVersion: anna.version, phone: '415-555-0000' }, actor)).toThrow(
      /changed at .* after you opened it/,
    );
    expect(repos.patients.get(anna.id, actor).phone).toBe('415-555-0999');
  });

  it('records each search in the audit log', () => {
    const before = repos.audit.list().length;
    repos.patients.search('smith', 10, actor);
    const last = repos.audit.list().at(-1)!;
    expect(repos.audit.list().length).toBe(before + 1);
    expect(last).toMatchObject({ action: 'patient.search', userId: 'tester' });
  });
});
