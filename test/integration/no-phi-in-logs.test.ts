import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { setDispatchLogger } from '../../electron/services/dispatch';
import { createLogger } from '../../electron/services/log';
import type { Note } from '../../shared/domain/clinical';
import type { Patient } from '../../shared/domain/patient';
import { CLINIC, openClinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

describe('logs', () => {
  const t = tempDir('cairn-logs-');
  afterAll(() => t.cleanup());

  it('a full workflow leaves no PHI in the log output', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb): void {
        chunks.push(chunk.toString('utf8'));
        cb();
      },
    });
    setDispatchLogger(createLogger({ level: 'debug', destination: sink }));
    const c = await openClinic(t.dir);
    const p = await c.ok<Patient>('patients.create', {
      givenName: 'Wilhelmina',
      familyName: 'Quackenbush',
      birthDate: '1961-08-19',
      phone: '617-555-0142',
      email: 'wq@example.org',
      mrn: 'QX-7781',
    });
    await c.call('patients.create', { givenName: 'Wilhelmina', familyName: 'Quackenbush', birthDate: '1961-02-31' }); // invalid: logged by field only
    await c.call('patients.create', { givenName: 'Wilhelmina', familyName: 'Quackenbush', birthDate: '1961-08-19', mrn: 'QX-7781', confirmDuplicate: true }); // conflict (the MRN is taken)
    await c.ok('patients.search', { query: 'Quackenbush' });
    const draft = await c.ok<Note>('notes.saveDraft', {
      patientId: p.id,
      templateId: 'review-of-systems',
      title: 'ROS',
      content: { ros: { allOthersNegative: true, systems: { neurological: { status: 'positive', text: 'tremor of the left hand since June' } } } },
    });
    await c.ok('notes.sign', { id: draft.id, expectedVersion: draft.version, password: CLINIC.doc.password });
    await c.call('notes.sign', { id: draft.id, expectedVersion: draft.version, password: 'hunter2-not-it' });
    await c.call('patients.drop', { name: 'Wilhelmina Quackenbush' });
    await c.call('vitals.record', {
      patientId: p.id,
      takenAt: '2026-11-25T10:00:00Z',
      units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
      systolic: 900,
      diastolic: 80,
    });
    c.session.close();
    const log = chunks.join('');
    // The log is not empty (the test can fail): it names channels and codes.
    expect(log).toContain('"channel":"patients.create"');
    expect(log).toContain('"code":"invalid_input"');
    expect(log).toContain('"code":"conflict"');
    expect(log).toContain('"code":"unknown_channel"');
    for (const phi of [
      'Wilhelmina',
      'Quackenbush',
      '1961-08-19',
      '1961-02-31',
      '617-555-0142',
      '6175550142',
      'wq@example.org',
      'QX-7781',
      'tremor',
      'hunter2',
      CLINIC.doc.password,
      CLINIC.passphrase,
    ]) {
      expect(log, `"${phi}" leaked into the log`).not.toContain(phi);
    }
  });
});
