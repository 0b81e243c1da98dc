import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { wallTime, zonedInstant } from '../../shared/domain/dates';
import { loadScheduleConfig } from '../../electron/services/schedule/schedule-config';
import { Resources } from '../../electron/services/resources/resources';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { openClinic, type Clinic } from '../helpers/clinic';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

describe('scheduling and the check-in flow board in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-schedule-');
  let clinic: Clinic;
  let app: BridgedApp;
  let ana: Patient;
  let ben: Patient;
  const tz = loadScheduleConfig(new Resources(resourcesDir)).hours.timeZone;
  // Today in the clinic's zone: the flow board shows today.
  const today = wallTime(Date.now(), tz).date;
  const row = <T>(q: string, ...p: unknown[]): T => clinic.session.repos.store.sqlite.prepare(q).get(...p) as T;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    ana = await clinic.ok<Patient>('patients.create', { givenName: 'Ana', familyName: 'Lima', birthDate: '1970-06-15', sex: 'female' });
    ben = await clinic.ok<Patient>('patients.create', { givenName: 'Ben', familyName: 'Okafor', birthDate: '1988-02-03', sex: 'male' });
    // Ben is already booked with the doctor at 09:10 (clinic time) today.
    const docId = clinic.session.requireUser().id;
    // Today may be a day the clinic is closed (the test runs any day): booked knowingly.
    await clinic.ok('schedule.book', {
      patientId: ben.id,
      providerId: docId,
      typeId: 'follow-up',
      startAt: new Date(zonedInstant(today, 9 * 60 + 10, tz)).toISOString(),
      room: 'Exam 2',
      allowOutsideHours: true,
    });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('books a visit (type → default length), confirms a double booking, then checks the patient in through the flow board to checked out', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('day-view').waitFor();
    await expect(page.getByTestId('appointment-row').count()).resolves.toBe(1);

    // Book Ana at 09:00 with the doctor: a follow-up fills 20 minutes, which runs into Ben's 09:10.
    await page.getByTestId('book-open').click();
    const dialog = page.getByTestId('book-dialog');
    await page.getByTestId('book-patient').fill('lima');
    await page.getByRole('option', { name: /^Lima, Ana/ }).click();
    await page.getByTestId('book-provider').click();
    await page.getByRole('option', { name: 'Dr. Gregory House' }).click();
    await page.getByTestId('book-type').click();
    await page.getByRole('option', { name: 'Follow-up (20 min)' }).click();
    await expect(page.getByTestId('book-minutes').inputValue()).resolves.toBe('20');
    await page.getByTestId('book-type').click();
    await page.getByRole('option', { name: 'New patient (40 min)' }).click();
    await expect(page.getByTestId('book-minutes').inputValue()).resolves.toBe('40');
    // "Next free slot" fills a time on the 5-minute grid inside clinic hours (not in lunch).
    await page.getByTestId('book-find-slot').click();
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid="book-time"]')?.value !== '09:00');
    await expect(page.getByTestId('book-time').inputValue()).resolves.toMatch(/^(0[89]|1[013-6]):[0-5][05]$/);
    await page.getByTestId('book-date').fill(today);
    await page.getByTestId('book-time').fill('09:00');
    await page.getByTestId('book-room').click();
    await page.getByRole('option', { name: 'Exam 1' }).click();
    await page.getByTestId('book-reason').fill('knee pain');
    await shot(page, '80-schedule-book-dialog');
    await page.getByTestId('book-submit').click();
    const warning = page.getByTestId('double-booking-warning');
    await warning.waitFor();
    await expect(warning.textContent()).resolves.toContain('Dr. Gregory House already has Okafor, Ben');
    // Nothing was booked yet: the warning waits for the person.
    expect(row<{ n: number }>('SELECT count(*) AS n FROM appointments WHERE patient_id = ?', ana.id).n).toBe(0);
    await shot(page, '81-schedule-double-booking-warning');
    await page.getByTestId('book-anyway').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-testid="appointment-row"]').nth(1).waitFor();
    await expect(page.getByTestId('day-view').textContent()).resolves.toContain('Lima, Ana');
    await shot(page, '82-schedule-day-view');
    const booked = row<{ id: string; status: string; start_at: string; end_at: string }>(
      'SELECT id, status, start_at, end_at FROM appointments WHERE patient_id = ?',
      ana.id,
    );
    expect(booked.status).toBe('scheduled');
    expect(Date.parse(booked.end_at) - Date.parse(booked.start_at)).toBe(40 * 60_000);
    expect(wallTime(Date.parse(booked.start_at), tz)).toMatchObject({ date: today, minutes: 9 * 60 });

    // Week view, then cancel Ben's visit with a reason from the day view.
    await page.getByTestId('schedule-mode').getByText('Week').click();
    await page.getByTestId('week-view').waitFor();
    await expect(page.getByTestId('week-appointment').count()).resolves.toBe(2);
    await shot(page, '83-schedule-week-view');
    await page.getByTestId('schedule-mode').getByText('Day').click();
    // Move Ben's visit to 10:00, out of the clash.
    await page.locator('[data-testid="appointment-row"]', { hasText: 'Okafor, Ben' }).getByTestId('appointment-move').click();
    await page.getByTestId('reschedule-time').fill('10:00');
    await page.getByTestId('reschedule-submit').click();
    await page.locator('[data-testid="appointment-row"]', { hasText: '10:00–10:20' }).waitFor();
    const moved = row<{ start_at: string }>('SELECT start_at FROM appointments WHERE patient_id = ?', ben.id);
    expect(wallTime(Date.parse(moved.start_at), tz)).toMatchObject({ date: today, minutes: 10 * 60 });
    await page.locator('[data-testid="appointment-row"]', { hasText: 'Okafor, Ben' }).getByTestId('appointment-cancel').click();
    await page.getByTestId('cancel-submit').click();
    await page.getByTestId('cancel-error').waitFor();
    await page.getByTestId('cancel-reason').fill('patient called: car broke down');
    await page.getByTestId('cancel-submit').click();
    await page.locator('[data-testid="appointment-row"][data-status="cancelled"]').waitFor();
    await shot(page, '84-schedule-cancelled');
    expect(row<{ status: string; cancel_reason: string }>('SELECT status, cancel_reason FROM appointments WHERE patient_id = ?', ben.id)).toEqual({
      status: 'cancelled',
      cancel_reason: 'patient called: car broke down',
    });

    // The flow board: Ana moves through every state; Ben (cancelled) is not on it.
    await page.getByTestId('nav-flow-board').click();
    const card = page.getByTestId('flow-card');
    await page.getByTestId('flow-column-scheduled').getByTestId('flow-card').waitFor();
    await expect(card.count()).resolves.toBe(1);
    await card.getByTestId('flow-advance').click();
    await page.getByTestId('flow-column-arrived').getByTestId('flow-card').waitFor();
    await expect(card.getByTestId('time-in-state').textContent()).resolves.toMatch(/^0 min in state/);

    await card.getByTestId('flow-advance').click();
    await page.getByTestId('check-in-submit').waitFor();
    await expect(page.getByTestId('check-in-submit').isDisabled()).resolves.toBe(true);
    await page.getByTestId('check-in-demographics').check();
    await page.getByTestId('check-in-insurance-verified').check();
    for (const q of ['new-symptoms', 'medication-changes', 'fall-risk']) await page.getByTestId(`intake-${q}-no`).check();
    await shot(page, '85-flow-check-in-checklist');
    await page.getByTestId('check-in-submit').click();
    await page.getByTestId('flow-column-checked_in').getByTestId('flow-card').waitFor();
    await card.getByTestId('flow-open-visit').waitFor();

    await card.getByTestId('flow-advance').click();
    await page.getByTestId('room-select').waitFor();
    await page.getByTestId('room-select').click();
    await page.getByRole('option', { name: 'Exam 4' }).click();
    await page.getByTestId('room-submit').click();
    await page.getByTestId('flow-column-roomed').getByTestId('flow-card').waitFor();
    await expect(card.textContent()).resolves.toContain('Exam 4');
    await card.getByTestId('flow-advance').click();
    await page.getByTestId('flow-column-with_provider').getByTestId('flow-card').waitFor();
    await shot(page, '86-flow-with-provider');
    await card.getByTestId('flow-advance').click();
    await page.getByTestId('flow-column-checked_out').getByTestId('flow-card').waitFor();
    await expect(card.getByTestId('flow-advance').count()).resolves.toBe(0);
    await shot(page, '87-flow-checked-out');

    const done = row<{ status: string; room: string; encounter_id: string; check_in: string; arrived_at: string; checked_out_at: string }>(
      'SELECT * FROM appointments WHERE id = ?',
      booked.id,
    );
    expect(done).toMatchObject({ status: 'checked_out', room: 'Exam 4' });
    expect(JSON.parse(done.check_in)).toEqual({
      demographicsConfirmed: true,
      insurance: 'verified',
      intake: { 'new-symptoms': 'no', 'medication-changes': 'no', 'fall-risk': 'no' },
    });
    expect(done.arrived_at <= done.checked_out_at).toBe(true);
    expect(row<{ status: string; reason: string }>('SELECT status, reason FROM encounters WHERE id = ?', done.encounter_id)).toEqual({
      status: 'finished',
      reason: 'knee pain',
    });
    expect(pageErrors).toEqual([]);
  });
});
