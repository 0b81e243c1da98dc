import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/api/result';
import type { Patient } from '../../shared/domain/patient';
import { createRepos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { cairn } from '../helpers/cli';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { signInOnServer, startTestServer } from '../helpers/sync-server';
import { newStore, tempDir } from '../helpers/temp-db';
import { pdfLines } from '../helpers/pdf-text';

const pdfText = (pdf: Buffer): string => pdfLines(pdf).join('\n');

// Synthetic identifiers with valid check digits: NPI 1234567893 (the CMS worked example), DEA AH1234563.
const NPI = '1234567893';
const DEA = 'AH1234563';
const CLINIC_ADDRESS = { name: 'Hilltop Family Medicine', addressLines: ['12 Quarry Road, Suite 3', 'Springfield, IL 62704'], phone: '217-555-0142' };
const SIG = { doseAmount: 1, doseUnit: 'tablet', route: 'oral', frequency: 'q6h', prn: true, quantity: 12, quantityUnit: 'tablet', refills: 0 };
const DESK = { username: 'fdesk', password: 'copper willow station 52' };

const refusal = (r: Result<unknown>): { code: string; message: string } => {
  expect(r.ok).toBe(false);
  return r.ok ? { code: '', message: '' } : r.error;
};

describe('prescriber NPI and DEA number, and the clinic address, on the printed prescription', () => {
  const t = tempDir('cairn-rx-ids-');
  let c: Clinic;
  let patient: Patient;
  const as = async (who: { username: string; password: string }): Promise<void> => {
    await c.ok('session.logout');
    await c.ok('session.login', who);
  };
  const printed = new Map<string, string>();
  const reprint = async (id: string): Promise<string> =>
    pdfText(Buffer.from((await c.ok<{ base64: string }>('meds.prescriptionPdf', { id })).base64, 'base64'));
  const print = async (query: string): Promise<string> => {
    const [drug] = await c.ok<{ rxcui: string }[]>('meds.searchDrugs', { query });
    const rx = await c.ok<{ prescriptionId: string }>('meds.prescribe', { patientId: patient.id, rxcui: drug!.rxcui, sig: SIG, password: CLINIC.doc.password });
    printed.set(query, rx.prescriptionId);
    return reprint(rx.prescriptionId);
  };

  beforeAll(async () => {
    c = await openClinic(t.dir);
    patient = await c.ok<Patient>('patients.create', { givenName: 'Ida', familyName: 'Ledger', birthDate: '1961-04-09', sex: 'female' });
    await as(CLINIC.admin);
    await c.ok('users.create', { username: DESK.username, displayName: 'Fern Desk', role: 'front_desk', password: DESK.password });
  });
  afterAll(() => {
    c?.session.close();
    t.cleanup();
  });

  it('prints the NPI, the DEA number on a controlled drug, the clinic name and address and a signature line', async () => {
    await as(CLINIC.admin);
    // Typed with spaces and in lower case: kept as digits and upper case.
    const u = await c.ok<{ npi: string; dea: string }>('users.update', { username: CLINIC.doc.username, npi: '12345 67893', dea: 'ah1234563' });
    expect(u).toMatchObject({ npi: NPI, dea: DEA });
    expect(await c.ok('settings.setClinic', CLINIC_ADDRESS)).toEqual(CLINIC_ADDRESS);
    const listed = await c.ok<{ username: string; npi: string | null; dea: string | null }[]>('users.list');
    expect(listed.find((x) => x.username === CLINIC.doc.username)).toMatchObject({ npi: NPI, dea: DEA });

    await as(CLINIC.doc);
    const oxy = await print('oxycodone hydrochloride 5 MG Oral Tablet');
    expect(oxy).toMatch(/^Hilltop Family Medicine$/m);
    expect(oxy).toContain('12 Quarry Road, Suite 3, Springfield, IL 62704');
    expect(oxy).toContain('Tel 217-555-0142');
    expect(oxy).toContain(`Prescriber: Dr. Gregory House    NPI ${NPI}`);
    expect(oxy).toMatch(new RegExp(`^DEA ${DEA} {4}Schedule C-II controlled substance$`, 'm'));
    expect(oxy).toMatch(/^Signature: _{10,}/m);
    expect(oxy).not.toMatch(/not recorded/);

    // Not controlled: the NPI, not the DEA number.
    const lisinopril = await print('lisinopril 10');
    expect(lisinopril).toContain(`NPI ${NPI}`);
    expect(lisinopril).toContain('12 Quarry Road, Suite 3');
    expect(lisinopril).not.toContain(DEA);
    expect(lisinopril).toMatch(/^Signature: _{10,}/m);

    const actions = c.session.repos.audit.list().map((e) => `${e.action} ${e.detail ?? ''}`);
    expect(actions).toContain(`user.prescriber_ids ${CLINIC.doc.username}: NPI set; DEA set`);
    expect(actions).toContain('settings.clinic Hilltop Family Medicine');
  });

  it('refuses an NPI or DEA number that fails its check, or one for someone who does not prescribe, saying why', async () => {
    await as(CLINIC.admin);
    const npi = refusal(await c.call('users.update', { username: CLINIC.doc.username, npi: '1234567890' }));
    expect(npi.code).toBe('invalid_input');
    expect(npi.message).toContain('NPI "1234567890" fails its check digit, so a digit is mistyped');
    expect(refusal(await c.call('users.update', { username: CLINIC.doc.username, npi: '12345' })).message).toContain('NPI "12345" must be exactly 10 digits');
    expect(refusal(await c.call('users.update', { username: CLINIC.doc.username, dea: 'AH1234567' })).message).toContain(
      'DEA number "AH1234567" fails its check digit',
    );
    expect(refusal(await c.call('users.update', { username: CLINIC.doc.username, dea: '1H1234563' })).message).toContain('must be 2 letters then 7 digits');
    // A front desk person does not prescribe: on creation (the schema) and later (the repository).
    const create = refusal(
      await c.call('users.create', { username: 'fdesk2', displayName: 'Flo Desk', role: 'front_desk', password: DESK.password, npi: NPI }),
    );
    expect(create.message).toContain('an NPI is recorded for physicians (who prescribe) only');
    const update = refusal(await c.call('users.update', { username: DESK.username, dea: DEA }));
    expect(update.message).toContain('fdesk is not a physician');
    // A clinic address is required once the clinic is set; an impossible phone is named.
    expect(refusal(await c.call('settings.setClinic', { name: 'Hilltop', addressLines: ['', ''], phone: null })).message).toContain('give the clinic address');
    expect(refusal(await c.call('settings.setClinic', { ...CLINIC_ADDRESS, phone: '12' })).message).toContain('phone must have 7 to 15 digits');
    // Nothing changed.
    expect(c.session.repos.users.list().find((u) => u.username === CLINIC.doc.username)).toMatchObject({ npi: NPI, dea: DEA });
    expect(await c.ok('settings.clinic')).toEqual(CLINIC_ADDRESS);
  });

  it('only an administrator records an NPI, a DEA number or the clinic address; everyone signed in reads the clinic', async () => {
    for (const who of [DESK, CLINIC.doc]) {
      await as(who);
      expect(refusal(await c.call('users.update', { username: CLINIC.doc.username, npi: '1245319599' })).code, who.username).toBe('forbidden');
      expect(refusal(await c.call('settings.setClinic', { ...CLINIC_ADDRESS, addressLines: ['1 Elsewhere St'] })).code, who.username).toBe('forbidden');
      expect(await c.ok('settings.clinic')).toEqual(CLINIC_ADDRESS);
    }
    expect(c.session.repos.users.prescriberIds(c.session.repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id)).toEqual({
      npi: NPI,
      dea: DEA,
    });
  });

  it('prints "not recorded" again once the DEA number is cleared', async () => {
    await as(CLINIC.admin);
    expect(await c.ok('users.update', { username: CLINIC.doc.username, dea: '' })).toMatchObject({ npi: NPI, dea: null });
    await as(CLINIC.doc);
    const again = await reprint(printed.get('oxycodone hydrochloride 5 MG Oral Tablet')!);
    expect(again).toContain('DEA not recorded: required for a controlled substance');
    expect(again).toContain(`NPI ${NPI}`);
  });
});

describe('NPI and DEA number sync to the other devices with the user account', () => {
  const da = tempDir('cairn-rx-ids-a-');
  const db = tempDir('cairn-rx-ids-b-');
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let c: Clinic;
  afterAll(async () => {
    c?.session.close();
    await server?.stop();
    da.cleanup();
    db.cleanup();
  });

  it('an NPI recorded on one device reaches the server and the other device', async () => {
    server = await startTestServer('pglite');
    c = await openClinic(da.dir);
    const { code } = await server.sync.createEnrollmentCode('Front office');
    await enrollThisDevice(c.session.repos.store, c.session.repos, { serverUrl: server.url, code, deviceName: 'Front office' });
    const adminId = await signInOnServer(c.session.repos.store.sqlite, CLINIC.admin.username, CLINIC.admin.password);
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.admin);
    await c.ok('users.update', { username: CLINIC.doc.username, npi: NPI, dea: DEA });
    expect((await clientFor(c.session.repos.store, c.session.repos, () => adminId).syncOnce()).error).toBeNull();
    const [row] = await server.db.query<{ data: { npi: string; dea: string } }>("SELECT data FROM sync_rows WHERE entity = 'user' AND data->>'username' = $1", [
      CLINIC.doc.username,
    ]);
    expect(row?.data).toMatchObject({ npi: NPI, dea: DEA });

    const { store } = await newStore(db.dir);
    try {
      const b = createRepos(store);
      const codeB = await server.sync.createEnrollmentCode('Exam room');
      await enrollThisDevice(store, b, { serverUrl: server.url, code: codeB.code, deviceName: 'Exam room' });
      const docId = await signInOnServer(store.sqlite, CLINIC.doc.username, CLINIC.doc.password);
      expect((await clientFor(store, b, () => docId).syncOnce()).error).toBeNull();
      expect(b.users.prescriberIds(docId)).toEqual({ npi: NPI, dea: DEA });
    } finally {
      store.close();
    }
  });
});

describe('cairn users add --npi --dea, cairn users update and cairn settings clinic (the CLI as a child process)', () => {
  const t = tempDir('cairn-rx-ids-cli-');
  const file = join(t.dir, 'clinic.cairn');
  afterAll(() => t.cleanup());

  it('records a physician with NPI and DEA, refuses a wrong check digit in one line, clears a DEA number and records the clinic address', () => {
    expect(cairn(['init', '--db', file, '--admin', 'alice', '--clinic', 'Quarry Clinic']).code).toBe(0);
    const pw = { CAIRN_USER_PASSWORD: 'granite meadow lantern 8' };
    const bad = cairn(['users', 'add', '--db', file, '--username', 'drgray', '--name', 'Dr. Meredith Gray', '--role', 'physician', '--npi', '1234567890'], pw);
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toContain('NPI "1234567890" fails its check digit');
    const added = cairn(
      ['users', 'add', '--db', file, '--username', 'drgray', '--name', 'Dr. Meredith Gray', '--role', 'physician', '--npi', NPI, '--dea', DEA],
      pw,
    );
    expect(added.code, added.err).toBe(0);
    const cleared = cairn(['users', 'update', '--db', file, '--username', 'drgray', '--dea', '']);
    expect(cleared.out.trim()).toBe(`drgray: NPI ${NPI}, DEA not recorded`);

    const set = cairn(['settings', 'clinic', '--db', file, '--address', '3 Slate Lane', '--address', 'Granite Falls, MN 56241', '--phone', '320-555-0199']);
    expect(set.code, set.err).toBe(0);
    expect(JSON.parse(set.out)).toEqual({ name: 'Quarry Clinic', addressLines: ['3 Slate Lane', 'Granite Falls, MN 56241'], phone: '320-555-0199' });
  });
});
