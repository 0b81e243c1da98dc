import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createHandlers, type Handlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { enrollThisDevice, inProcessSyncLoop, type SyncLoop } from '../../electron/services/sync';
import { startDesktopScanInbox, type DesktopScanInbox } from '../../electron/launch/scan-inbox';
import { axeViolations, describeViolations } from '../helpers/axe';
import { bridgedPage } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { DESK, DEVICE_B_PASSPHRASE, NURSE } from '../helpers/clinic-day';
import { signInClinicUsers, startTestServer } from '../helpers/sync-server';
import { newStore, resourcesDir } from '../helpers/temp-db';

// The records journey's rig: one clinic server, the front desk PC and the physician's laptop, each
// an enrolled encrypted database with the real dispatcher behind its screens, synced through the
// server between the steps by the same loop the app runs (rows, then the document bytes made here).

export const SHOTS = resolve('test-results');
/** How long a screen may take to show the answer of what was just done (polled, not slept). */
export const SETTLE = { timeout: 15_000 };

/** Mrs X: the patient of the NIST ambulatory CCD (name, birth date and sex as the document has them). */
export const MRS_X = { givenName: 'Myra', familyName: 'Jones', birthDate: '1947-05-01', sex: 'female' } as const;
export const NIST_CCD = 'test/fixtures/ccda/sample-ccdas/NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml';
export const CARDIOLOGIST = { name: 'Dr. Amal Patel', organization: 'Lakeside Heart', specialty: 'Cardiology', phone: '(608) 555-0142', fax: '(608) 555-0143' };

/** One device of the clinic: its session, its handlers (what its screens call) and its sync loop. */
export interface Device {
  session: Session;
  handlers: Handlers;
  loop: SyncLoop;
}

export interface JourneyRig {
  server: Awaited<ReturnType<typeof startTestServer>>;
  clinic: Clinic;
  /** The front desk PC (an operator device), its handlers on a clock `later` can move forward. */
  pc: Device;
  /** The physician's laptop: an empty database that got the clinic from the server. */
  laptop: Device;
  /** The PC's scan/fax inbox, started as the desktop starts it. */
  scanInbox: DesktopScanInbox;
  /** Days the PC's screens are ahead of today (the day the referral's reply is late). */
  later: { days: number };
  docId: string;
  close: () => Promise<void>;
}

/**
 * The clinic: a server on PGlite, the front desk PC (the clinic's first database, with a nurse and a
 * front-desk user, its scan folder watched as the desktop does) and the physician's laptop enrolled
 * after it. Nobody is signed in on the screens when it returns.
 */
export async function openJourneyRig(dirA: string, dirB: string): Promise<JourneyRig> {
  const [server, clinic] = await Promise.all([startTestServer('pglite'), openClinic(dirA)]);
  await clinic.ok('session.logout');
  await clinic.ok('session.login', CLINIC.admin);
  for (const [who, role] of [
    [NURSE, 'nurse'],
    [DESK, 'front_desk'],
  ] as const)
    await clinic.ok('users.create', { username: who.username, displayName: who.displayName, role, password: who.password });
  await clinic.ok('session.logout');

  const repos = clinic.session.repos;
  const enrolA = await server.sync.createEnrollmentCode('Front desk PC', 24, { operator: true });
  await enrollThisDevice(repos.store, repos, { serverUrl: server.url, code: enrolA.code, deviceName: 'Front desk PC' });
  await signInClinicUsers(repos.store.sqlite);
  const docId = repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
  const later = { days: 0 };
  const pc = device(clinic.session, docId, () => new Date(Date.now() + later.days * 86_400_000));
  await syncDevice(pc);

  const { store, file } = await newStore(dirB, DEVICE_B_PASSPHRASE);
  store.close();
  const sessionB = new Session({ dbFile: file, resourcesDir });
  await sessionB.unlock(DEVICE_B_PASSPHRASE);
  const enrolB = await server.sync.createEnrollmentCode('Physician laptop');
  await enrollThisDevice(sessionB.repos.store, sessionB.repos, { serverUrl: server.url, code: enrolB.code, deviceName: 'Physician laptop' });
  await signInClinicUsers(sessionB.repos.store.sqlite);
  const laptop = device(sessionB, docId);
  await syncDevice(laptop);

  const scanInbox = startDesktopScanInbox(clinic.session, { log: { info: () => undefined, warn: () => undefined }, checkMs: 200, pollMs: 200, settleMs: 100 });
  return {
    server,
    clinic,
    pc,
    laptop,
    scanInbox,
    later,
    docId,
    close: async () => {
      await scanInbox.close();
      pc.loop.stop();
      laptop.loop.stop();
      sessionB.close();
      clinic.session.close();
      await server.stop();
    },
  };
}

/** A device's handlers as the app composes them, with its sync loop (run on demand, never on a timer here). */
function device(session: Session, syncAs: string, now?: () => Date): Device {
  const loop = inProcessSyncLoop(session.repos.store, session.repos, () => syncAs);
  return { session, loop, handlers: createHandlers({ session, sync: loop, ...(now && { now }) }) };
}

/**
 * Syncs a device with the clinic server as the app's loop does (push and pull, then the bytes of
 * documents made here) until nothing is left to push; fails with the loop's own error.
 */
export async function syncDevice(d: Device): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const s = await d.loop.syncNow();
    if (s.error) throw new Error(`sync failed: ${s.error.code}: ${s.error.message}`);
    if (s.pending === 0) return;
  }
  throw new Error('sync left changes pending after 5 rounds');
}

/** A screen of one device in Chromium: the built renderer bridged to its handlers, watched for script errors and CSP violations. */
export interface Screen {
  page: Page;
  pageErrors: string[];
  csp: string[];
}

/** `where()` names the device and the step reached, so a violation says when it happened. */
export async function openScreen(browser: Browser, url: string, handlers: Handlers, where: () => string): Promise<Screen> {
  const { page, pageErrors } = await bridgedPage(browser, handlers, { width: 1440, height: 900 });
  const csp: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) csp.push(`${where()}: ${m.text()}`);
  });
  // The pdf.js worker is the app's own: a worker the policy blocks says so in its console.
  page.on('worker', (w) => w.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && csp.push(`${where()}: worker: ${m.text()}`)));
  await page.exposeFunction('__cspViolation', (v: string) => csp.push(`${where()}: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __cspViolation: (v: string) => Promise<void> }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`,
      );
    });
  });
  await page.goto(url);
  return { page, pageErrors, csp };
}

/** Numbered screenshots (test-results/records-journey-NN-<name>.png) with axe-core's WCAG 2.1 A/AA check; failures gathered for the end. */
export class Journal {
  private n = 0;
  /** The last step recorded ("start" before the first). */
  last = 'start';
  readonly failures: string[] = [];
  constructor() {
    mkdirSync(SHOTS, { recursive: true });
  }

  async step(page: Page, name: string): Promise<void> {
    this.n += 1;
    this.last = name;
    const found = await axeViolations(page);
    await page.screenshot({ path: join(SHOTS, `records-journey-${String(this.n).padStart(2, '0')}-${name}.png`), fullPage: true });
    if (found.length > 0) this.failures.push(`${name}:\n${describeViolations(found)}`);
  }
}

/**
 * The hospital's discharge notice (test/fixtures/hl7v2/inbound/ADT-A03-hospital-v2.5.hl7) about
 * Mrs X: her name, birth date and sex in PID (matched by demographics, the hospital's MRN being its
 * own), discharged yesterday afternoon.
 */
export function dischargeNotice(fixture: string, dischargedAt: Date): string {
  const ts = dischargedAt.toISOString().replace(/[-:T]/g, '').slice(0, 14) + '+0000';
  const birth = MRS_X.birthDate.replace(/-/g, '');
  return fixture
    .split(/\r\n|\r|\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const f = line.split('|');
      if (f[0] === 'PID') {
        f[5] = `${MRS_X.familyName}^${MRS_X.givenName}^^^Mrs.`;
        f[7] = birth;
        f[8] = 'F';
      }
      if (f[0] === 'PV1') f[45] = ts;
      if (f[0] === 'MSH') f[9] = 'RJ-ADT-A03-1';
      return f.join('|');
    })
    .join('\r');
}
