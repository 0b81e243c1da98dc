import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { expectAccessible } from '../helpers/axe';
import { pdfLines } from '../helpers/pdf-text';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
// Synthetic identifiers with valid check digits.
const NPI = '1234567893';
const DEA = 'AH1234563';

describe("an administrator records a physician's NPI and DEA number and the clinic address in Chromium", () => {
  const t = tempDir('cairn-e2e-rx-ids-');
  let clinic: Clinic;
  let app: BridgedApp;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it("through the Users screen; the physician's printed prescription then carries them", async () => {
    const { page, pageErrors } = await app.open();
    await page.getByRole('button', { name: 'Users' }).click();
    await expect(page.getByTestId(`ids-${CLINIC.doc.username}`).textContent()).resolves.toBe('NPI not recorded');

    // A mistyped NPI is refused in the dialog with the reason; the right numbers are saved.
    await page.getByTestId(`prescriber-ids-${CLINIC.doc.username}`).click();
    await page.getByTestId('npi-input').fill('1234567890');
    await page.getByTestId('prescriber-ids-submit').click();
    await page.getByText('NPI "1234567890" fails its check digit, so a digit is mistyped').waitFor();
    await page.getByTestId('npi-input').fill(NPI);
    await page.getByTestId('dea-input').fill('ah1234563');
    await expectAccessible(page, 'users-prescriber-ids-error');
    await page.screenshot({ path: join(shots, '47-prescriber-ids.png'), fullPage: true });
    await page.getByTestId('prescriber-ids-submit').click();
    await page
      .getByTestId('users-notice')
      .filter({ hasText: `${CLINIC.doc.username}: NPI ${NPI}, DEA ${DEA}.` })
      .waitFor();
    await page
      .getByTestId(`ids-${CLINIC.doc.username}`)
      .filter({ hasText: `NPI ${NPI} · DEA ${DEA}` })
      .waitFor();

    // The clinic address: refused without an address line, saved with one.
    await page.getByTestId('clinic-name').fill('Hilltop Family Medicine');
    await page.getByTestId('clinic-save').click();
    await page.getByText('give the clinic address').waitFor();
    await expectAccessible(page, 'users-clinic-address-error');
    await page.getByTestId('clinic-address-1').fill('12 Quarry Road, Suite 3');
    await page.getByTestId('clinic-address-2').fill('Springfield, IL 62704');
    await page.getByTestId('clinic-phone').fill('217-555-0142');
    await page.getByTestId('clinic-save').click();
    await page.getByTestId('clinic-saved').waitFor();
    await page.screenshot({ path: join(shots, '48-clinic-address.png'), fullPage: true });
    expect(await clinic.ok('settings.clinic')).toEqual({
      name: 'Hilltop Family Medicine',
      addressLines: ['12 Quarry Road, Suite 3', 'Springfield, IL 62704'],
      phone: '217-555-0142',
    });
    // Shown again when the screen opens later.
    await page.reload();
    await page.getByRole('button', { name: 'Users' }).click();
    await expect(page.getByTestId('clinic-address-2').inputValue()).resolves.toBe('Springfield, IL 62704');
    expect(pageErrors).toEqual([]);

    // What the screens recorded is what the prescription prints.
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.doc);
    const patient = await clinic.ok<Patient>('patients.create', { givenName: 'Ivo', familyName: 'Quarry', birthDate: '1958-02-11', sex: 'male' });
    const [oxy] = await clinic.ok<{ rxcui: string }[]>('meds.searchDrugs', { query: 'oxycodone hydrochloride 5 MG Oral Tablet' });
    const sig = { doseAmount: 1, doseUnit: 'tablet', route: 'oral', frequency: 'q6h', prn: true, quantity: 12, quantityUnit: 'tablet', refills: 0 };
    const rx = await clinic.ok<{ prescriptionId: string }>('meds.prescribe', { patientId: patient.id, rxcui: oxy!.rxcui, sig, password: CLINIC.doc.password });
    const pdf = await clinic.ok<{ base64: string }>('meds.prescriptionPdf', { id: rx.prescriptionId });
    const text = pdfLines(Buffer.from(pdf.base64, 'base64')).join('\n');
    expect(text).toContain('Hilltop Family Medicine');
    expect(text).toContain('12 Quarry Road, Suite 3, Springfield, IL 62704');
    expect(text).toContain(`NPI ${NPI}`);
    expect(text).toContain(`DEA ${DEA}`);
    expect(text).toMatch(/^Signature: _{10,}/m);
  });
});
