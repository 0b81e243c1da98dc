import { mkdirSync, readFileSync } from 'node:fs';

import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Patient } from '../../shared/domain/patient';
import type { ImportSummary } from '../../shared/fhir/import-summary';

import { createHandlers, type Handlers } from '../../electron/services/handlers';
import { createRepos } from '../../electron/services/repos';
import { Session } from '../../electron/services/session';
import { clientFor, enrollThisDevice, inProcessRunner, SessionSync } from '../../electron/services/sync';
import { startWebServer, type WebServer } from '../../electron/web/web-server';
import { seedClinicDay, type ClinicDay } from './a11y-clinic';
import { axeViolations, describeViolations } from './axe';
import { bridgedPage, launchChromium } from './browser';
import { CLINIC, openClinic, type Clinic } from './clinic';
import { signInClinicUsers, signInOnServer, startTestServer } from './sync-server';
import { newStore, resourcesDir } from './temp-db';

const SYNTHEA = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');

/** The imported Synthea charts the days use (Clarence Mills comes with the seeded morning). */
export const SYNTHEA_BUNDLES = {
  wisoky: 'Randolph_Wisoky_efd5a034-1a2d-4cd4-88f2-3a2e192d403a.json',
  eboni: 'Eboni_Brekke_ae30c5e1-23da-4ecd-a320-a2c6047f3a19.json',
} as const;

export type Who = { username: string; password: string };
export const NURSE = { username: 'nia', password: 'quiet harbor lantern 7', displayName: 'Nia Okoye' } as const;
export const DESK = { username: 'fran', password: 'maple orbit candle 4', displayName: 'Fran Delgado' } as const;
export const DEVICE_B_PASSPHRASE = 'correct horse battery staple';

/** The staff's menus (the permission matrix as each person sees it in the navigation). */
/** The tabs of a chart as the front desk sees it: visits and demographics, the chart's documents, referrals and imaging orders (never notes, medications or results). */
export const DESK_CHART_TABS = ['Visits', 'Documents', 'Referrals', 'Imaging', 'Demographics'] as const;

export const MENUS = {
  desk: ['Find patient', 'New patient', 'Schedule', 'Flow board', 'Messages', 'Document inbox', 'Referrals', 'Care coordination', 'Conflicts'],
} as const;

export interface ClinicDayRig {
  clinic: Clinic;
  day: ClinicDay;
  server: Awaited<ReturnType<typeof startTestServer>>;
  /** The front desk PC's page server and browser: one Chromium for the whole day. */
  browser: Browser;
  /** Device A's handlers, as dev:web wires them: the sync loop follows Lock, Unlock and sign-in. */
  handlers: Handlers;
  /** A new page on the built renderer bridged to `handlers` (device A's by default). */
  open: (handlers?: Handlers) => Promise<{ page: Page; pageErrors: string[] }>;
  /** The second device: an encrypted database enrolled with the same clinic server, still locked. */
  deviceB: { session: Session; handlers: Handlers };
  /** Saves a full-page screenshot under test-results/clinic-day/. */
  shot: (page: Page, name: string) => Promise<void>;
  /**
   * A step a person reached: its screenshot under test-results/clinic-day/ and, for a new screen,
   * axe-core's WCAG 2.1 A/AA check; `assertAllPassed` fails with every inaccessible screen of the day.
   */
  steps: (page: Page) => { step: (name: string, opts?: { axe?: boolean }) => Promise<void>; assertAllPassed: () => void };
  close: () => Promise<void>;
}

/**
 * One clinic for a scripted day: a real encrypted database with the seeded morning (an imported
 * Synthea chart, charted patients, HL7 results, today's bookings) plus more imported Synthea
 * history, a nurse and a front-desk user, enrolled (as an operator device, because its own MLLP
 * listener stores lab results) with a real clinic server on PGlite, and a second enrolled device.
 * Nobody is signed in when it returns: each person signs in on the page.
 */
export async function openClinicDayRig(dirA: string, dirB: string, prefix: string): Promise<ClinicDayRig> {
  const shots = resolve('test-results', 'clinic-day');
  mkdirSync(shots, { recursive: true });
  // The server starts while the device's morning is written: both are slow on a busy machine.
  const [server, { clinic, day }] = await Promise.all([
    startTestServer('pglite'),
    openClinic(dirA).then(async (c) => ({ clinic: c, day: await seedClinicDay(c) })),
  ]);
  for (const f of Object.values(SYNTHEA_BUNDLES)) {
    const summary = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: f, text: readFileSync(join(SYNTHEA, f), 'utf8') });
    expect(summary.errors).toEqual([]);
  }
  await clinic.ok('session.logout');
  await clinic.ok('session.login', CLINIC.admin);
  await clinic.ok('users.create', { username: NURSE.username, displayName: NURSE.displayName, role: 'nurse', password: NURSE.password });
  await clinic.ok('users.create', { username: DESK.username, displayName: DESK.displayName, role: 'front_desk', password: DESK.password });
  await clinic.ok('session.logout');

  // The clinic's first device brings its accounts; the seeded morning's authors sign in with the server.
  const repos = clinic.session.repos;
  const codeA = await server.sync.createEnrollmentCode('Front desk PC', 24, { operator: true });
  await enrollThisDevice(repos.store, repos, { serverUrl: server.url, code: codeA.code, deviceName: 'Front desk PC' });
  await signInClinicUsers(repos.store.sqlite);
  const sync = new SessionSync(clinic.session, () => inProcessRunner(clinic.session.repos.store, clinic.session.repos));
  const handlers = createHandlers({ session: clinic.session, sync });

  const { store, file } = await newStore(dirB, DEVICE_B_PASSPHRASE);
  const codeB = await server.sync.createEnrollmentCode('Exam room laptop');
  // As `cairn enroll --user drhouse` sets up a new device: enroll, the user signs in with the server,
  // one sync brings the clinic's accounts (the app has no enrollment screen; nobody can sign in on
  // a device that does not hold their account yet).
  const reposB = createRepos(store);
  await enrollThisDevice(store, reposB, { serverUrl: server.url, code: codeB.code, deviceName: 'Exam room laptop' });
  const docId = await signInOnServer(store.sqlite, CLINIC.doc.username, CLINIC.doc.password);
  expect((await clientFor(store, reposB, () => docId).syncOnce()).error).toBeNull();
  expect(reposB.users.list().map((u) => u.username)).toContain(CLINIC.doc.username);
  store.close();
  const sessionB = new Session({ dbFile: file, resourcesDir });
  const syncB = new SessionSync(sessionB, () => inProcessRunner(sessionB.repos.store, sessionB.repos));
  const handlersB = createHandlers({ session: sessionB, sync: syncB });

  const shot = async (page: Page, name: string): Promise<void> => {
    await page.screenshot({ path: join(shots, `${prefix}-${name}.png`), fullPage: true });
  };
  const web: WebServer = await startWebServer({ handlers, rendererDir: resolve('out/renderer'), token: 'unused-by-the-bridge' });
  const browser = await launchChromium();
  return {
    clinic,
    day,
    server,
    browser,
    handlers,
    deviceB: { session: sessionB, handlers: handlersB },
    open: async (h = handlers) => {
      const opened = await bridgedPage(browser, h);
      await opened.page.goto(web.url);
      return opened;
    },
    shot,
    steps: (page) => {
      const failures: string[] = [];
      return {
        step: async (name, opts = {}) => {
          const found = opts.axe === false ? [] : await axeViolations(page);
          await shot(page, name);
          if (found.length > 0) failures.push(`${prefix}-${name}: axe-core found WCAG 2.1 A/AA violations:\n${describeViolations(found)}`);
        },
        assertAllPassed: () => {
          if (failures.length > 0) throw new Error(failures.join('\n\n'));
        },
      };
    },
    close: async () => {
      await browser.close();
      await web.close();
      await sync.stop();
      await syncB.stop();
      sessionB.close();
      clinic.session.close();
      await server.stop();
    },
  };
}

/** Signs in on the sign-in screen and waits for the signed-in header. */
export async function signIn(page: Page, who: Who): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

/** The labels of the main navigation, and which one says it is the current screen. */
export async function navigation(page: Page): Promise<{ items: string[]; current: string[] }> {
  const nav = page.getByRole('navigation', { name: 'Screens' });
  await nav.waitFor();
  const items = (await nav.getByRole('button').allTextContents()).map((t) => t.replace(/[\d,]+$/, '').trim());
  const current = (await nav.locator('[aria-current="page"]').allTextContents()).map((t) => t.replace(/[\d,]+$/, '').trim());
  return { items, current };
}

/** Opens a chart from patient search by typing, as a person does. */
export async function openChart(page: Page, query: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  await page.getByTestId('patient-search').fill(query);
  await page.getByTestId('search-result').first().click();
  await page.getByTestId('patient-banner').waitFor();
}

/** Whole years from `birthDate` to today (the age the banner shows). */
export function ageToday(birthDate: string, today = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const before = today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d);
  return today.getFullYear() - y - (before ? 1 : 0);
}

export { sendMllp } from './mllp';

/** A patient as search finds them (the first hit), read through the dispatcher. */
export async function findPatient(clinic: Clinic, query: string): Promise<Patient> {
  const [hit] = await clinic.ok<{ id: string }[]>('patients.search', { query });
  return clinic.ok<Patient>('patients.get', { id: hit!.id });
}
