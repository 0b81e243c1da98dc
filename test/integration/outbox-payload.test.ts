import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allergyAdd, encounterCreate } from '../../shared/domain/clinical';
import { patientInput, patientUpdate } from '../../shared/domain/patient';
import { createRepos, type Repos } from '../../electron/services/repos';
import type { Viewer } from '../../electron/services/sync/conflicts.repo';
import { checkOutboxPayloads } from '../helpers/outbox-check';
import { newStore, tempDir } from '../helpers/temp-db';

/**
 * The outbox builds each entry from the row its caller just wrote instead of reading it back:
 * every entry made here is compared, byte for byte, with the row read back as the outbox once did
 * (test/helpers/outbox-check.ts). Patients, users and conflict resolutions are the paths that wrote
 * their own audit and outbox entries before they went through the ClinicalWriter.
 */
describe('outbox entries built from the row written are the rows read back', () => {
  const check = checkOutboxPayloads();
  const tmp = tempDir('cairn-outbox-payload-');
  let repos: Repos;
  let adminId: string;
  let close: () => void;

  beforeAll(async () => {
    const { store } = await newStore(tmp.dir);
    close = () => store.close();
    repos = createRepos(store);
    adminId = (await repos.users.create({ username: 'ada', displayName: 'Ada Admin', role: 'admin', password: 'amber kestrel 41 tide' }, null)).id;
  });
  afterAll(() => {
    check.restore();
    close();
    tmp.cleanup();
  });

  it('patients: register, edit, restrict (a boolean column), merge, unmerge and a new MRN', () => {
    const actor = { userId: adminId };
    const input = { givenName: 'Hollis', familyName: 'Amberley', birthDate: '1950-02-03', sex: 'male', phone: '(555) 010-2030' };
    const p = repos.patients.create(patientInput.parse(input), actor);
    const twin = repos.patients.create(patientInput.parse({ ...input, confirmDuplicate: true }), actor);
    repos.patients.update(patientUpdate.parse({ id: p.id, expectedVersion: p.version, phone: '555 010 9999', address: { city: 'Springfield' } }), actor);
    repos.patients.setRestricted(p.id, true, actor);
    repos.patients.setRestricted(p.id, false, actor);
    const viewer: Viewer = { userId: adminId, role: 'admin', mayOpen: () => true };
    repos.conflicts.merge(p.id, twin.id, undefined, viewer);
    repos.conflicts.unmerge(twin.id, viewer);
    repos.conflicts.reassignMrn(twin.id, undefined, viewer);
    expect(check.mismatches).toEqual([]);
  });

  it('users: create, disable (a boolean column), enable, reset a password, prescriber ids', async () => {
    const doc = await repos.users.create(
      { username: 'drhouse', displayName: 'Dr. Gregory House', role: 'physician', password: 'physician pass 1 tide' },
      adminId,
    );
    repos.users.setDisabled('drhouse', true, adminId);
    repos.users.setDisabled('drhouse', false, adminId);
    await repos.users.resetPassword('drhouse', 'another long pass 22', adminId);
    repos.users.setPrescriberIds('drhouse', { npi: '1234567893' }, adminId);
    expect(doc.role).toBe('physician');
    expect(check.mismatches).toEqual([]);
  });

  it('clinical rows through drizzle (storedRow): a visit and an allergy, each changed', () => {
    const doc = repos.users.list().find((u) => u.username === 'drhouse')!;
    const actor = { userId: doc.id };
    const p = repos.patients.create(patientInput.parse({ givenName: 'Iris', familyName: 'Quill', birthDate: '1988-07-09', sex: 'female' }), actor);
    const e = repos.encounters.create(encounterCreate.parse({ patientId: p.id, visitType: 'office_visit', status: 'checked_in' }), actor);
    repos.encounters.setStatus(e.id, 'finished', actor);
    const nka = repos.allergies.add(allergyAdd.parse({ kind: 'nka', patientId: p.id }), actor);
    repos.allergies.add(allergyAdd.parse({ kind: 'allergy', patientId: p.id, substance: 'Penicillin', substanceType: 'drug', reactions: ['hives'] }), actor);
    expect(repos.allergies.list(p.id).find((a) => a.id === nka.id)?.status).toBe('inactive');
    expect(check.mismatches).toEqual([]);
    // Every synced write above was checked: patients 2 + 1 + 2 + 3, users 5 (+ the admin), visit 2, allergies 3.
    expect(check.checked()).toBeGreaterThanOrEqual(20);
  });
});
