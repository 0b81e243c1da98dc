import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../electron/services/fhir/import';
import { CLINIC, openClinic, type Clinic } from '../../helpers/clinic';
import { tempDir } from '../../helpers/temp-db';
import { CLARENCE, count, EBONI, one, text } from './fhir-import.helpers';

describe('fhir.importBundle (File → Import in the desktop app)', () => {
  const t = tempDir('cairn-fhir-channel-');
  let clinic: Clinic;
  beforeAll(async () => {
    clinic = await openClinic(t.dir);
  });
  afterAll(() => {
    clinic.session.close();
    t.cleanup();
  });

  it('imports through the dispatcher as the signed-in physician, refuses other roles and bad input', async () => {
    const s = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: CLARENCE, text: text(CLARENCE) });
    expect(s.patients).toEqual({ imported: 1, updated: 0, unchanged: 0, failed: 0 });
    expect(s.byType['Observation']).toMatchObject({ imported: 59 });
    const again = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: CLARENCE, text: text(CLARENCE) });
    expect(again.patients.unchanged).toBe(1);
    const doc = clinic.session.requireUser().id;
    expect(count(clinic.session.repos.store.sqlite, `SELECT count(*) FROM audit_log WHERE action = 'fhir.import' AND user_id = ?`, doc)).toBe(
      1 + 7 + 63 + 7 + 5 + 1 + 2 + 1 + 3,
    ); // a stopped course is a start and a stop
    // A restricted chart: a re-import into it needs the glass broken first.
    const mills = String(one(clinic.session.repos.store.sqlite, `SELECT id FROM patients WHERE family_name = 'Mills'`)['id']);
    await clinic.ok('patients.setRestricted', { id: mills, restricted: true });
    const refused = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: CLARENCE, text: text(CLARENCE) });
    expect(refused.errors.map((e) => e.message)).toEqual(['this chart is restricted: break the glass for it before importing into it']);
    expect(refused.patients).toMatchObject({ failed: 1, unchanged: 0 });
    await clinic.ok('patients.breakGlass', { patientId: mills, reason: 'importing the records sent by the old practice', password: CLINIC.doc.password });
    expect((await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: CLARENCE, text: text(CLARENCE) })).patients).toMatchObject({
      unchanged: 1,
      failed: 0,
    });
    const bad = await clinic.call('fhir.importBundle', { fileName: 'x.json', text: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const notJson = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: 'x.json', text: '{"resourceType": "Bundle", "type": "history"}' });
    expect(notJson.errors[0]).toMatchObject({ source: 'x.json', path: 'type' });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
    await clinic.ok('users.create', { username: 'nurse1', displayName: 'N. Nurse', role: 'nurse', password: 'tulip river 17' });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', { username: 'nurse1', password: 'tulip river 17' });
    expect(await clinic.call('fhir.importBundle', { fileName: EBONI, text: text(EBONI) })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
