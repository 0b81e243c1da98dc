import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { wallTime, zonedInstant } from '../../shared/domain/dates';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { loadScheduleConfig } from '../../electron/services/schedule/schedule-config';
import { Resources } from '../../electron/services/resources/resources';
import type { Clinic } from './clinic';
import { hl7Fixture } from './hl7-fixtures';
import { resourcesDir } from './temp-db';

const SYNTHEA = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');
const UNITS = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' };

export interface ClinicDay {
  jose: Patient;
  donald: Patient;
  vera: Patient;
}

/** An HL7 time `hoursAgo` before now (results this recent wait in the inbox; old history is filed as reviewed). */
function hl7Time(hoursAgo: number): string {
  return new Date(Date.now() - hoursAgo * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + '+0000';
}

function oru(controlId: string, pid: string, filler: string, ...obx: string[]): string {
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    pid,
    `OBR|1|PL-${controlId}^CAIRN|${filler}^ACME|24323-8^Metabolic panel^LN`,
    ...obx,
  ].join('\r');
}

/**
 * A clinic with a morning's worth of data so every list on every screen has rows: an imported
 * Synthea history, a charted patient with an accented name (problems, coded and uncoded
 * medications, an allergy, a vaccine, vitals, a visit), HL7 results with a critical value, an
 * unmatched result and a demographics difference held for review, a restricted chart, a lab order
 * and today's appointments.
 */
export async function seedClinicDay(clinic: Clinic): Promise<ClinicDay> {
  for (const f of ['Clarence_Mills_0753ad6c-5935-4faa-9cfe-b7269e963d77.json']) {
    await clinic.ok('fhir.importBundle', { fileName: f, text: readFileSync(join(SYNTHEA, f), 'utf8') });
  }
  const jose = await clinic.ok<Patient>('patients.create', {
    givenName: 'José',
    familyName: 'Núñez',
    birthDate: '1961-04-02',
    sex: 'male',
    phone: '555-201-7788',
  });
  await clinic.ok('problems.add', { patientId: jose.id, icd10: 'I10', onsetDate: '2018-03-01', chronic: true });
  await clinic.ok('problems.add', { patientId: jose.id, icd10: 'E11.9', onsetDate: '2019-06-01', chronic: true });
  const [ibuprofen] = await clinic.ok<{ rxcui: string }[]>('meds.searchDrugs', { query: 'ibuprofen' });
  await clinic.ok('meds.add', { patientId: jose.id, rxcui: ibuprofen!.rxcui, dose: '400 mg three times daily' });
  await clinic.ok('meds.add', { patientId: jose.id, name: 'Turmeric capsules', dose: '1 daily' });
  const stopped = await clinic.ok<{ course: { courseId: string } }>('meds.add', { patientId: jose.id, name: 'Vitamin D drops', dose: '1 daily' });
  await clinic.ok('meds.stop', { courseId: stopped.course.courseId, reason: 'finished the course' });
  await clinic.ok('allergies.add', {
    kind: 'allergy',
    patientId: jose.id,
    substance: 'Penicillin',
    substanceType: 'drug',
    reactions: ['hives'],
    severity: 'moderate',
    criticality: 'high',
  });
  await clinic.ok('immunizations.add', {
    patientId: jose.id,
    cvx: '150',
    administeredOn: '2025-10-01',
    source: 'administered',
    lot: 'FL123',
    site: 'Left deltoid',
    route: 'IM',
  });
  const visit = await clinic.ok<{ id: string }>('encounters.create', { patientId: jose.id, visitType: 'follow_up', reason: 'Blood pressure check' });
  await clinic.ok('vitals.record', {
    patientId: jose.id,
    encounterId: visit.id,
    takenAt: new Date().toISOString(),
    units: UNITS,
    systolic: 152,
    diastolic: 96,
    heartRate: 80,
    weight: 82,
    height: 175,
  });
  const [cbc] = await clinic.ok<{ id: string }[]>('labs.orderSets');
  await clinic.ok('labs.order', { patientId: jose.id, orderSetIds: [cbc!.id] });

  const donald = await clinic.ok<Patient>('patients.create', {
    givenName: 'Donald',
    familyName: 'Duck',
    birthDate: '1924-10-10',
    sex: 'male',
    identifiers: [{ system: '1', value: '10006579', type: 'MR' }],
  });
  const ingest = new Hl7Ingest(clinic.session.repos);
  expect(ingest.receive(hl7Fixture('LAB-ORU-1.hl7'), 'LAB-ORU-1.hl7')).toMatchObject({ patientId: donald.id });
  const pid = `PID|1||${donald.mrn}^^^^MR||Duck^Donald||19241010|M`;
  ingest.receive(oru('G1', pid, 'F-1', `OBX|1|NM|2345-7^Glucose^LN||95|mg/dL|70-99|N|||F|||${hl7Time(72)}`), 'g1');
  ingest.receive(oru('G3', pid, 'F-3', `OBX|1|NM|2345-7^Glucose^LN||412|mg/dL|70-99|HH|||F|||${hl7Time(3)}`, 'NTE|1|L|Repeat requested'), 'g3');
  expect(
    ingest.receive(
      oru('U1', 'PID|1||777^^^OTHERLAB^MR||Dack^Donald||19241010|M', 'F-U', `OBX|1|NM|2345-7^Glucose^LN||101|mg/dL|70-99|H|||F|||${hl7Time(2)}`),
      'u1',
    ),
  ).toMatchObject({ queued: true });
  const adamId = ingest.receive(hl7Fixture('ADT-A04-01.hl7'), 'a04').patientId!;
  const adam = clinic.session.repos.patients.peek(adamId);
  await clinic.ok('patients.update', { id: adam.id, expectedVersion: adam.version, phone: '555-000-1111' });
  expect(ingest.receive(hl7Fixture('ADT-A08-01.hl7').replace('MSG00001', 'MSG-A08').replace('78788788^^CP', '5559998888^^CP'), 'a08')).toMatchObject({
    queued: true,
  });

  const vera = await clinic.ok<Patient>('patients.create', { givenName: 'Vera', familyName: 'Famous', birthDate: '1975-06-01', sex: 'female' });
  await clinic.ok('patients.setRestricted', { id: vera.id, restricted: true });

  const tz = loadScheduleConfig(new Resources(resourcesDir)).hours.timeZone;
  const today = wallTime(Date.now(), tz).date;
  const docId = clinic.session.requireUser().id;
  await clinic.ok('schedule.book', {
    patientId: jose.id,
    providerId: docId,
    typeId: 'follow-up',
    startAt: new Date(zonedInstant(today, 9 * 60, tz)).toISOString(),
    room: 'Exam 1',
    reason: 'BP follow-up',
    allowOutsideHours: true,
  });
  await clinic.ok('schedule.book', {
    patientId: donald.id,
    providerId: docId,
    typeId: 'follow-up',
    startAt: new Date(zonedInstant(today, 10 * 60, tz)).toISOString(),
    room: 'Exam 2',
    allowOutsideHours: true,
  });
  return { jose, donald, vera };
}
