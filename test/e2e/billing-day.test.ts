import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallTime, zonedInstant } from '../../shared/domain/dates';
import { npiCheckDigit } from '../../shared/domain/prescriber';
import { loadScheduleConfig } from '../../electron/services/schedule/schedule-config';
import { Resources } from '../../electron/services/resources/resources';
import { axeViolations, describeViolations } from '../helpers/axe';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { navigation, signIn, signOut } from '../helpers/clinic-day';
import { era835, type EraClaim } from '../helpers/era';
import { resourcesDir, tempDir } from '../helpers/temp-db';
import { X12_FIXTURES } from '../unit/shared/x12/fixtures';

/** How long a screen may take to show the answer of what was just done (polled, not slept). */
const SETTLE = { timeout: 15_000 };
const npiOf = (nine: string): string => `${nine}${npiCheckDigit(nine)}`;
const DESK = { username: 'fran', password: 'maple orbit candle 4' };
const BILLER = { username: 'bea', password: 'violet anchor marble kettle' };
const MEMBER = 'QX2024001';
const SECRET = 'Confidential: worried about her marriage';
/** A valid 1×1 PNG: the card image the front desk scans at registration. */
const CARD_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const FIXTURE_271 = join(X12_FIXTURES, 'subscriber-health-benefit-check.271');

/** The public 271 fixture answering for our patient, with a coinsurance and a deductible added (SE count recomputed). */
function reply271(): string {
  const segs = readFileSync(FIXTURE_271, 'latin1')
    .split('~')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith('NM1*IL*') ? `NM1*IL*1*QUINTERO*MARTA****MI*${MEMBER}` : s.startsWith('DMG*') ? 'DMG*D8*19750412*F' : s));
  const se = segs.findIndex((s) => s.startsWith('SE*'));
  segs.splice(se, 0, 'EB*A*IND*30***27**.2****Y', 'EB*C*IND*30***23*1500.00*****Y', 'EB*C*IND*30***29*900.00*****Y');
  const st = segs.findIndex((s) => s.startsWith('ST*'));
  segs[se + 3] = `SE*${se + 3 - st + 1}*4321`;
  return `${segs.join('~\n')}~\n`;
}

/** Picks a file through the file chooser a button opens, as a person does. */
async function chooseFile(page: Page, button: Locator, name: string, content: string | Buffer, mimeType = 'text/plain'): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await button.click();
  await (await chooser).setFiles({ name, mimeType, buffer: typeof content === 'string' ? Buffer.from(content) : content });
}

/** Clicks and returns the downloaded file's name. */
async function download(page: Page, button: Locator): Promise<string> {
  return (await downloaded(page, button)).name;
}

async function downloaded(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const d = page.waitForEvent('download');
  await button.click();
  const file = await d;
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

/** What a screen reader says about a field besides its label: its description and its error, tied to it by aria-describedby. */
function describedBy(field: Locator): Promise<string> {
  return field.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
      .join(' | '),
  );
}

async function pick(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: option }).click();
}

/**
 * A clinic day of billing in Chromium over a real encrypted database: the administrator sets up
 * billing and a payer; the front desk registers a patient with coverage, checks eligibility with a
 * 271, takes the copay and checks her in; the physician finishes the visit and saves the superbill;
 * the biller sends the batch, posts the 835 and reads the ledger and the A/R. axe-core on every
 * billing screen; screenshots under test-results/billing/.
 */
describe('a billing day across roles in Chromium', () => {
  const t = tempDir('cairn-e2e-billing-');
  const shots = resolve('test-results', 'billing');
  const tz = loadScheduleConfig(new Resources(resourcesDir)).hours.timeZone;
  const today = wallTime(Date.now(), tz).date;
  let clinic: Clinic;
  let app: BridgedApp;
  let page: Page;
  let pageErrors: string[];
  const failures: string[] = [];
  let claimNumber = '';

  /** A screenshot, and axe-core's WCAG 2.1 A/AA check of the screen (all failures reported at the end). */
  const step = async (name: string): Promise<void> => {
    const found = await axeViolations(page);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    if (found.length > 0) failures.push(`${name}:\n${describeViolations(found)}`);
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    await clinic.ok('users.create', { username: DESK.username, displayName: 'Fran Delgado', role: 'front_desk', password: DESK.password });
    await clinic.ok('users.create', { username: BILLER.username, displayName: 'Bea Biller', role: 'billing', password: BILLER.password });
    await clinic.ok('users.update', { username: CLINIC.doc.username, npi: npiOf('198765432') });
    await clinic.ok('session.logout');
    app = await startBridgedApp(clinic.handlers);
    ({ page, pageErrors } = await app.open());
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('the administrator sets the billing provider, adds a payer and loads the fee schedule and codes', async () => {
    await signIn(page, CLINIC.admin);
    await page.getByTestId('nav-billing').click();
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    await page.getByTestId('billing-tab-settings').click();
    const fill: [string, string][] = [
      ['billingName', 'Hilltop Family Medicine'],
      ['billingNpi', npiOf('123456789')],
      ['taxId', '12-3456789'],
      ['taxonomy', '207Q00000X'],
      ['addressLine1', '12 Main St'],
      ['city', 'Springfield'],
      ['state', 'IL'],
      ['zip', '62701'],
      ['phone', '2175550100'],
      ['submitterId', 'HILLTOP'],
      ['submitterContact', 'Bea Biller'],
      ['receiverName', 'Demo Clearinghouse'],
      ['receiverId', 'DEMOCH'],
    ];
    for (const [k, v] of fill) await page.getByTestId(`bs-${k}`).fill(v);
    await page.getByTestId('bs-save').click();
    // The same schema as the channel: a 5-digit ZIP is refused on its field before anything is sent.
    await page.getByText('billing ZIP: all 9 digits (ZIP+4), as the 837P requires').waitFor();
    await page.getByTestId('bs-zip').fill('627011234');
    await page.getByTestId('bs-save').click();
    await page.getByTestId('bs-saved').waitFor();

    await page.getByTestId('payer-name').fill('Acme Health');
    await page.getByTestId('payer-id').fill('ACME1');
    await page.getByTestId('payer-add').click();
    await page.getByTestId('payer-row').filter({ hasText: 'ACME1' }).waitFor();

    const fees: [string, string, string][] = [
      ['fees', 'fees.csv', 'code,modifier,price\n99213,,125.00\n36415,,12.50\n'],
      ['cpt', 'cpt.csv', 'code,description\n99213,Office visit est. low\n36415,Venipuncture\n'],
    ];
    for (const [kind, name, csv] of fees) {
      await pick(page, page.getByTestId('fee-kind'), kind === 'fees' ? /^Fee schedule/ : /^CPT codes/);
      await chooseFile(page, page.getByTestId('fee-file'), name, csv);
      await page.getByTestId('fee-load').click();
      await page
        .getByTestId('fee-loaded')
        .filter({ hasText: `2 row(s) loaded from ${name}` })
        .waitFor();
    }
    await step('01-admin-billing-settings');
    await signOut(page);
  });

  it('front desk: no claims worklist; registers a patient, adds coverage, checks eligibility, takes the copay and checks her in', async () => {
    await signIn(page, DESK);
    expect((await navigation(page)).items).not.toContain('Billing');
    expect((await clinic.call('billing.claims', {})).ok).toBe(false);
    await page.getByTestId('nav-register').click();
    await page.getByLabel('Given name').fill('Marta');
    await page.getByLabel('Family name').fill('Quintero');
    await page.getByTestId('register-birth-date').fill('1975-04-12');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByTestId('coverage-panel').waitFor();
    await page.getByTestId('coverage-add').click();
    await pick(page, page.getByTestId('coverage-payer'), 'Acme Health (ACME1)');
    await page.getByTestId('coverage-member').fill(MEMBER);
    await page.getByTestId('coverage-group').fill('G77');
    await page.getByTestId('coverage-from').fill(`${today.slice(0, 4)}-01-01`);
    await page.getByTestId('coverage-copay').fill('twenty');
    await page.getByTestId('coverage-save').click();
    await page.getByText('copay: an amount in dollars and cents, like 25 or 25.00').waitFor();
    await page.getByTestId('coverage-copay').fill('25');
    await chooseFile(page, page.getByTestId('coverage-card-front'), 'card-front.png', CARD_PNG, 'image/png');
    await step('02-desk-coverage-form');
    await page.getByTestId('coverage-save').click();
    const card = page.getByTestId('coverage-card');
    await expect.poll(() => card.getByTestId('coverage-detail').textContent(), SETTLE).toBe(`Member ID ${MEMBER} · Group G77 · Copay $25.00`);
    await step('03-desk-chart-coverage');
    // The card scanned at registration, loaded only when asked for: the same picture, decoded by the browser.
    await card.getByRole('button', { name: 'Show card' }).click();
    const front = card.getByRole('img', { name: 'Insurance card, front' });
    await expect.poll(() => front.getAttribute('src'), SETTLE).toBe(`data:image/png;base64,${CARD_PNG.toString('base64')}`);
    await expect.poll(() => front.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), SETTLE).toBe(1);
    expect(await card.getByRole('img', { name: 'Insurance card, back' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Hide card' }).getAttribute('aria-expanded')).toBe('true');
    await step('03b-desk-coverage-card-shown');

    // Booked with the physician today, then checked in on the flow board.
    const patientId = (await clinic.ok<{ id: string }[]>('patients.search', { query: 'quintero' }))[0]!.id;
    const [doc] = await clinic.ok<{ id: string }[]>('schedule.providers');
    const startAt = new Date(zonedInstant(today, 9 * 60, tz)).toISOString();
    await clinic.ok('schedule.book', { patientId, providerId: doc!.id, typeId: 'follow-up', startAt, allowOutsideHours: true });
    await page.getByTestId('nav-flow-board').click();
    const flow = page.getByTestId('flow-card').filter({ hasText: 'Quintero, Marta' });
    await flow.getByTestId('flow-advance').click();
    await page.getByTestId('flow-column-arrived').getByTestId('flow-card').filter({ hasText: 'Quintero' }).waitFor();
    await flow.getByTestId('flow-advance').click();
    const dialog = page.getByTestId('check-in-dialog');
    // Entered from the card in hand at registration, the coverage is already confirmed.
    await dialog.getByTestId('coverage-confirmed').waitFor();
    await chooseFile(page, dialog.getByTestId('eligibility-load-271'), 'acme-reply.271', reply271());
    await expect.poll(() => dialog.getByTestId('eligibility-status').textContent(), SETTLE).toBe('Active');
    await expect
      .poll(() => dialog.getByTestId('eligibility-detail').textContent(), SETTLE)
      .toBe('Plan: GOLD 123 PLAN · Copay: $10.00 · Coinsurance: 20% · Deductible remaining: $900.00 of $1,500.00');
    // The payer's copay (not the card's) is what the desk asks for.
    await expect.poll(() => dialog.getByTestId('payment-amount').inputValue(), SETTLE).toBe('10.00');
    await dialog.getByTestId('payment-submit').click();
    await dialog.getByTestId('payment-receipt').waitFor();
    await expect(download(page, dialog.getByTestId('payment-receipt-download'))).resolves.toMatch(/\.pdf$/);
    await page.getByTestId('check-in-demographics').check();
    await page.getByTestId('check-in-insurance-verified').check();
    for (const q of ['new-symptoms', 'medication-changes', 'fall-risk']) await page.getByTestId(`intake-${q}-no`).check();
    await step('04-desk-check-in-eligibility-copay');
    await page.getByTestId('check-in-submit').click();
    await page.getByTestId('flow-column-checked_in').getByTestId('flow-card').filter({ hasText: 'Quintero' }).waitFor();
    await signOut(page);
  });

  it('physician: finishes the visit and saves the superbill; sees the claim ready and the scrubber’s findings', async () => {
    await signIn(page, CLINIC.doc);
    await page.getByTestId('nav-flow-board').click();
    await page.getByTestId('flow-card').filter({ hasText: 'Quintero' }).getByTestId('flow-open-visit').click();
    await page.getByTestId('encounter-workspace').waitFor();
    const [hit] = await clinic.ok<{ id: string }[]>('patients.search', { query: 'quintero' });
    const [visit] = await clinic.ok<{ id: string }[]>('encounters.list', { patientId: hit!.id });
    const content = { 'chief-complaint': SECRET };
    await clinic.ok('notes.saveDraft', { patientId: hit!.id, encounterId: visit!.id, templateId: 'primary-care-soap', title: 'Visit', content });
    await expect.poll(() => page.getByTestId('superbill').count(), SETTLE).toBe(0);
    await pick(page, page.getByLabel('Visit status').first(), 'finished');
    await page.getByTestId('superbill-form').waitFor();
    await page.getByTestId('superbill-dx-search').fill('I10');
    await page.getByRole('button', { name: /^Add I10 / }).click();
    await page.getByTestId('superbill-code-search').fill('99213');
    await page.getByRole('button', { name: 'Add 99213' }).click();
    await expect.poll(() => page.getByTestId('superbill-line').textContent(), SETTLE).toContain('$125.00');
    // A modifier typed twice passes the form but not the scrubber: the claim stays a draft, with the reason.
    await page.getByLabel('Line 1 modifiers').fill('25, 25');
    await step('05-physician-superbill-form');
    await page.getByTestId('superbill-save').click();
    const claim = page.getByTestId('visit-claim');
    await expect.poll(() => claim.getByTestId('claim-status').textContent(), SETTLE).toBe('Draft');
    await expect.poll(() => claim.getByTestId('finding-error').textContent(), SETTLE).toBe('Error: Line 1: a modifier is repeated.');
    await step('06-physician-superbill-findings');
    await page.getByTestId('superbill-revise').click();
    await page.getByLabel('Line 1 modifiers').fill('25');
    await page.getByTestId('superbill-save').click();
    await expect.poll(() => claim.getByTestId('claim-status').textContent(), SETTLE).toBe('Ready');
    await expect.poll(() => claim.textContent(), SETTLE).toContain('Acme Health · $125.00 · diagnoses I10');
    await claim.getByTestId('claim-findings-none').waitFor();
    claimNumber = (await claim.getByTestId('claim-number').textContent()) ?? '';
    expect(claimNumber).toMatch(/^\S+$/);
    await step('07-physician-claim-ready');
    // She steps away: Lock closes the database and the screen.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Cairn' }).waitFor();
  });

  it('billing: sees the claim ready, opens it, sends the batch and prints the CMS-1500', async () => {
    await page.getByTestId('passphrase').fill(CLINIC.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await signIn(page, BILLER);
    await page.getByTestId('nav-billing').click();
    const row = page.getByTestId('claim-row').filter({ hasText: claimNumber });
    await expect.poll(() => row.textContent(), SETTLE).toContain('Quintero');
    await expect.poll(() => row.getByTestId('claim-status').textContent(), SETTLE).toBe('Ready');
    await step('08-billing-worklist-ready');
    await row.click();
    const detail = page.getByTestId('claim-detail');
    await expect.poll(() => detail.getByTestId('claim-line').textContent(), SETTLE).toContain('99213');
    await expect.poll(() => detail.getByTestId('claim-history').textContent(), SETTLE).toContain('ready');
    await expect(download(page, detail.getByTestId('claim-cms1500'))).resolves.toMatch(/\.pdf$/);
    await step('09-billing-claim-detail');
    await page.keyboard.press('Escape');
    await page.getByTestId('claims-send-batch').click();
    await expect.poll(() => page.getByTestId('batch-result').textContent(), SETTLE).toMatch(/^Batch sent1 claim\(s\), \$125\.00/);
    await page.getByRole('group', { name: 'Show claims by status' }).getByText('Submitted', { exact: true }).click();
    await page.getByTestId('claim-row').filter({ hasText: claimNumber }).getByTestId('claim-status').filter({ hasText: 'Submitted' }).waitFor();
    await step('10-billing-batch-sent');
  });

  it('billing: imports the 835, sees the claim paid and the balances, takes and reverses a payment, reads the A/R', async () => {
    const era = era835([
      {
        claimNumber,
        chargeCents: 12500,
        paidCents: 8000,
        payerClaimNumber: 'ACME-777',
        lines: [
          {
            code: '99213',
            chargeCents: 12500,
            paidCents: 8000,
            adjustments: [
              { group: 'CO', reason: '45', cents: 2500 },
              { group: 'PR', reason: '2', cents: 2000 },
            ],
          },
        ],
      },
    ]);
    await page.getByTestId('billing-tab-era').click();
    await chooseFile(page, page.getByTestId('era-files'), 'acme.835', era);
    await page.getByTestId('era-import').click();
    const report = page.getByTestId('import-report');
    await expect.poll(() => report.getAttribute('data-type'), SETTLE).toBe('835');
    const cells = await report.locator('td').allTextContents();
    expect(cells.slice(3, 6)).toEqual(['1', '0', '$80.00']);
    await page.getByTestId('unmatched-empty').waitFor();
    await step('11-billing-era-posted');

    await page.getByTestId('billing-tab-claims').click();
    await page.getByRole('group', { name: 'Show claims by status' }).getByText('Paid', { exact: true }).click();
    const paid = page.getByTestId('claim-row').filter({ hasText: claimNumber });
    await expect.poll(() => paid.textContent(), SETTLE).toContain('$80.00');
    await paid.click();
    await page.getByTestId('claim-open-account').click();
    // 125.00 charged − 80.00 paid − 25.00 written off = 20.00 coinsurance, less the 10.00 copay.
    await expect.poll(() => page.getByTestId('balance-patient').textContent(), SETTLE).toBe('$10.00');
    await expect.poll(() => page.getByTestId('balance-insurance').textContent(), SETTLE).toBe('$0.00');
    const kinds = await page.getByTestId('ledger-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['charge', 'payment', 'adjustment']));
    // Billing sees the patient's account and codes but never the note's text.
    await expect.poll(() => page.locator('body').innerText(), SETTLE).not.toContain(SECRET);
    await expect.poll(() => page.getByTestId('start-visit').count(), SETTLE).toBe(0);

    await page.getByTestId('payment-amount').fill('5');
    await page.getByTestId('payment-submit').click();
    await expect.poll(() => page.getByTestId('balance-patient').textContent(), SETTLE).toBe('$5.00');
    const mistaken = page.getByTestId('ledger-row').filter({ hasText: '-$5.00' });
    await mistaken.getByTestId('ledger-reverse').click();
    await mistaken.getByTestId('ledger-reverse-reason').fill('entered twice');
    await mistaken.getByTestId('ledger-reverse-confirm').click();
    await expect.poll(() => page.getByTestId('balance-patient').textContent(), SETTLE).toBe('$10.00');
    // The mistaken payment stays, marked reversed, with its reversal after it: nothing is edited in place.
    await mistaken.filter({ hasText: 'reversed' }).waitFor();
    await page.getByTestId('ledger-row').filter({ hasText: 'entered twice' }).waitFor();
    await expect(download(page, page.getByTestId('account-statement'))).resolves.toMatch(/\.pdf$/);
    await step('12-billing-ledger');

    await page.getByTestId('nav-billing').click();
    await page.getByTestId('billing-tab-aging').click();
    await expect.poll(() => page.getByTestId('aging-bucket-0-30').textContent(), SETTLE).toBe('0-30 days$10.00');
    await expect.poll(() => page.getByTestId('aging-by-patient').textContent(), SETTLE).toContain('Quintero');
    await step('13-billing-ar-aging');
    await page.getByTestId('billing-tab-reports').click();
    await page.getByTestId('report-run').click();
    const sheet = page.getByTestId('report-table');
    await expect.poll(() => sheet.textContent(), SETTLE).toContain('Quintero');
    // amount_cents is shown once, as money (its formatted twin, the CSV's amount column, is not repeated).
    expect(await sheet.locator('th').allTextContents()).toEqual(['posted', 'mrn', 'patient', 'kind', 'party', 'amount', 'method', 'claim']);
    const amounts = sheet.locator('td[data-column="amount_cents"]');
    expect(await amounts.allTextContents()).toEqual(expect.arrayContaining(['$125.00', '-$80.00', '-$25.00']));
    expect(await amounts.first().evaluate((td) => getComputedStyle(td).textAlign)).toBe('right');
    // Each entry at the clinic's time it was posted, as the desk took it (not a UTC timestamp).
    const posted = await sheet.locator('td[data-column="posted"]').allTextContents();
    expect(posted.length).toBeGreaterThan(2);
    for (const at of posted) expect(at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const csv = await downloaded(page, page.getByTestId('report-csv'));
    expect(csv.name).toMatch(/\.csv$/);
    expect(csv.text.split('\n')[0]).toBe('posted,mrn,patient,kind,party,amount_cents,amount,method,claim');
    expect(csv.text).toMatch(/,12500,\$125\.00,/);
    await step('14-billing-day-sheet');
    await page.getByTestId('billing-tab-denials').click();
    await page.getByTestId('denials-empty').waitFor();
    await step('15-billing-denials');
    await signOut(page);
    await expect.poll(() => page.locator('body').innerText(), SETTLE).not.toContain('Quintero');
  });

  it('billing: an 835 under a mistyped claim number waits unmatched; the biller matches it to the claim (now paid) and closes a stray payment with the reason', async () => {
    // A second visit's claim, made through the channels (the screens for it were walked above).
    await clinic.ok('session.login', CLINIC.doc);
    const [hit] = await clinic.ok<{ id: string }[]>('patients.search', { query: 'quintero' });
    const startAt = new Date(zonedInstant(today, 11 * 60, tz)).toISOString();
    const visit = await clinic.ok<{ id: string }>('encounters.create', { patientId: hit!.id, visitType: 'office_visit', startAt });
    await clinic.ok('encounters.setStatus', { id: visit.id, status: 'finished' });
    const second = await clinic.ok<{ claimNumber: string; status: string }>('billing.superbill', {
      encounterId: visit.id,
      diagnoses: ['I10'],
      lines: [{ code: '99213' }],
    });
    expect(second.status).toBe('ready');
    await clinic.ok('session.logout');

    await signIn(page, BILLER);
    await page.getByTestId('nav-billing').click();
    await page.getByTestId('claim-row').filter({ hasText: second.claimNumber }).waitFor();
    await page.getByTestId('claims-send-batch').click();
    await expect.poll(() => page.getByTestId('batch-result').textContent(), SETTLE).toMatch(/1 claim\(s\), \$125\.00/);

    // The payer keyed the claim number with its last character wrong, and sent a payment meant for another practice.
    const typo = `${second.claimNumber.slice(0, -1)}${second.claimNumber.endsWith('X') ? 'Y' : 'X'}`;
    const stray = 'HT55012';
    const line = (paidCents: number, writeOff: number): EraClaim['lines'][number] => ({
      code: '99213',
      chargeCents: paidCents + writeOff,
      paidCents,
      adjustments: [{ group: 'CO', reason: '45', cents: writeOff }],
    });
    const era = era835(
      [
        { claimNumber: typo, chargeCents: 12500, paidCents: 9000, payerClaimNumber: 'ACME-888', lines: [line(9000, 3500)] },
        { claimNumber: stray, chargeCents: 4000, paidCents: 3200, payerClaimNumber: 'ACME-889', lines: [line(3200, 800)] },
      ],
      { control: 202 },
    );
    await page.getByTestId('billing-tab-era').click();
    await chooseFile(page, page.getByTestId('era-files'), 'acme-typo.835', era);
    await page.getByTestId('era-import').click();
    await expect.poll(async () => (await page.getByTestId('import-report').locator('td').allTextContents()).slice(3, 5), SETTLE).toEqual(['0', '2']);
    const queue = page.getByTestId('unmatched-era');
    await expect.poll(() => queue.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pcn'))), SETTLE).toEqual([typo, stray]);

    // Match: the number as the payer sent it is no claim of ours, and the screen says so on the field.
    await queue
      .filter({ hasText: typo })
      .getByRole('button', { name: /^Match to claim/ })
      .click();
    const match = page.getByTestId('unmatched-match-form');
    const number = match.getByLabel('Claim number');
    const note = match.getByLabel('Note');
    await number.fill(typo);
    await note.fill('the payer mistyped the last character');
    await match.getByTestId('unmatched-submit').click();
    await expect.poll(() => describedBy(number), SETTLE).toContain(`no claim has the number ${typo}: copy it from the patient's claims`);
    expect(await number.getAttribute('aria-invalid')).toBe('true');
    // Typed from the patient's claims (in lower case): the claim is named before anything is posted.
    await number.fill(second.claimNumber.toLowerCase());
    await expect.poll(() => describedBy(number), SETTLE).toContain('Marta Quintero · service');
    expect(await describedBy(number)).not.toContain('no claim has');
    // The backend's refusal of a note that says nothing lands on the note.
    await note.fill('ok');
    await match.getByTestId('unmatched-submit').click();
    await expect.poll(() => describedBy(note), SETTLE).toContain('say why: the payer mistyped the claim number');
    await step('16-billing-unmatched-match');
    await note.fill('the payer mistyped the last character');
    await match.getByTestId('unmatched-submit').click();
    await expect
      .poll(() => page.getByTestId('unmatched-done').textContent(), SETTLE)
      .toBe(`Posted the $90.00 payment from ACME HEALTH to claim ${second.claimNumber}.`);
    await expect.poll(() => queue.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pcn'))), SETTLE).toEqual([stray]);

    // Close: a reason is required, and the stray payment leaves the queue with it.
    await queue
      .filter({ hasText: stray })
      .getByRole('button', { name: /^Close/ })
      .click();
    const close = page.getByTestId('unmatched-close-form');
    const reason = close.getByLabel('Reason for closing');
    await close.getByTestId('unmatched-submit').click();
    await expect.poll(() => describedBy(reason), SETTLE).toContain('say why');
    await step('17-billing-unmatched-close');
    await reason.fill('a payment for another practice, returned to the payer');
    await close.getByTestId('unmatched-submit').click();
    await expect.poll(() => page.getByTestId('unmatched-done').textContent(), SETTLE).toBe(`Closed the $32.00 payment from ACME HEALTH under ${stray}.`);
    await page.getByTestId('unmatched-empty').waitFor();
    await step('18-billing-unmatched-resolved');

    await page.getByTestId('billing-tab-claims').click();
    await page.getByRole('group', { name: 'Show claims by status' }).getByText('Paid', { exact: true }).click();
    const paid = page.getByTestId('claim-row').filter({ hasText: second.claimNumber });
    await expect.poll(() => paid.getByTestId('claim-status').textContent(), SETTLE).toBe('Paid');
    expect(await paid.textContent()).toContain('$90.00');
    await step('19-billing-matched-claim-paid');
    await signOut(page);
  });

  it('every billing screen passes axe-core (WCAG 2.1 A/AA), and no page failed', () => {
    expect(pageErrors).toEqual([]);
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  });
});
