import { describe, expect, it } from 'vitest';
import { PASSWORD_MIN } from '../../../shared/domain/password-policy';
import { intakeFormFile, reportedAddress, reportedAllergy, reportedInsurance, reportedMedication } from '../../../shared/domain/portal';
import { PortalError } from '../../../renderer/src/portal/api/client';
import { errorText } from '../../../renderer/src/portal/i18n/errors';
import { makeFormatter } from '../../../renderer/src/portal/i18n/format';
import { initialLanguage, translator } from '../../../renderer/src/portal/i18n/i18n';
import { passwordAdvice } from '../../../renderer/src/portal/i18n/password';
import { href, parseRoute, type Route } from '../../../renderer/src/portal/router';
import { checkValues, emptyValues, toAnswers, type Values } from '../../../renderer/src/portal/screens/forms/form-answers';

// The portal screens' pure parts: localised refusals, dates in the clinic's zone, routes, and the
// form answers in the shapes shared/api/portal-http.ts documents.
const en = translator('en');
const es = translator('es');

describe('server refusals in words', () => {
  it('says a known code in the chosen language and an unknown one with the server message', () => {
    expect(errorText(en, new PortalError(409, 'slot_taken', 'x'))).toBe('That time was just taken. Please choose another.');
    expect(errorText(es, new PortalError(409, 'slot_taken', 'x'))).toMatch(/^Alguien acaba de tomar esa hora/);
    expect(errorText(es, new PortalError(400, 'brand_new_code', 'the server says why'))).toBe('Algo salió mal: the server says why');
    expect(errorText(en, new PortalError(400, 'invalid_answer', '"Phone": enter a phone number'))).toBe(
      'An answer was not accepted: "Phone": enter a phone number',
    );
  });
});

describe('password policy in the patient’s language', () => {
  const ctx = { username: 'rosa@example.com', displayName: 'Rosa Diaz', clinicName: 'Riverside Family Medicine' };
  it('explains each kind of refusal in both languages', () => {
    const cases: [string, RegExp, RegExp][] = [
      ['short pw', new RegExp(`at least ${PASSWORD_MIN} characters \\(this one has 8\\)`), /al menos 12 caracteres \(esta tiene 8\)/],
      ['aaaaaaaaaaaaaa', /repeats/, /repite/],
      ['qwertyuiopasdf', /keyboard or counting/, /secuencia/],
      ['RosaDiaz2026!!', /built from a name/, /hecha con un nombre/],
      ['Riverside!2026', /built from a name/, /hecha con un nombre/],
    ];
    for (const [pw, inEn, inEs] of cases) {
      expect(passwordAdvice(pw, ctx, en), pw).toMatch(inEn);
      expect(passwordAdvice(pw, ctx, es), pw).toMatch(inEs);
    }
    expect(passwordAdvice('violet anchor marble kettle', ctx, en)).toBeNull();
  });
});

describe('dates and times', () => {
  it('shows an instant in the clinic’s zone and a calendar day as written', () => {
    const ny = makeFormatter('en', 'America/New_York', en);
    // 14:30 UTC in December is 9:30 in New York.
    expect(ny.time('2026-12-08T14:30:00Z')).toMatch(/^9:30\sAM$/);
    expect(ny.day('2026-01-01')).toBe('Jan 1, 2026');
    const la = makeFormatter('es', 'America/Los_Angeles', es);
    expect(la.time('2026-12-08T14:30:00Z')).toMatch(/^6:30\sa\.\s?m\.$/);
    expect(la.weekday('2026-12-08')).toMatch(/martes/);
    expect(la.bytes(2 * 1024 * 1024)).toBe('2 MB');
  });
  it('survives a zone the browser does not know', () => {
    expect(makeFormatter('en', 'Not/AZone', en).day('2026-03-04')).toBe('Mar 4, 2026');
  });
});

describe('language on a first visit', () => {
  it('keeps a stored choice, else follows a Spanish browser', () => {
    expect(initialLanguage('es', ['en-US'])).toBe('es');
    expect(initialLanguage(null, ['es-MX', 'en'])).toBe('es');
    expect(initialLanguage(null, ['fr-FR'])).toBe('en');
  });
});

describe('routes', () => {
  it('reads back every route it writes', () => {
    const routes: Route[] = [
      { name: 'home' },
      { name: 'results' },
      { name: 'book' },
      { name: 'request' },
      { name: 'newMessage' },
      { name: 'thread', id: '0193a0c2-aaaa-7bbb-8ccc-0123456789ab' },
      { name: 'form', id: 'phq9', appointmentId: 'appt/1' },
      { name: 'form', id: 'gad7', appointmentId: null },
      { name: 'account' },
    ];
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
    expect(parseRoute('#/nowhere')).toEqual({ name: 'home' });
    expect(parseRoute('')).toEqual({ name: 'home' });
  });
});

describe('intake form answers', () => {
  const form = intakeFormFile.parse({
    id: 'test-form',
    title: { en: 'Test', es: 'Prueba' },
    questions: [
      { id: 'phone', type: 'phone', label: { en: 'Phone', es: 'Teléfono' } },
      { id: 'address', type: 'address', label: { en: 'Address', es: 'Dirección' } },
      { id: 'insurance', type: 'insurance', label: { en: 'Insurance', es: 'Seguro' } },
      { id: 'meds', type: 'medications', label: { en: 'Medicines', es: 'Medicamentos' }, required: true },
      { id: 'allergies', type: 'allergies', label: { en: 'Allergies', es: 'Alergias' }, required: true },
      { id: 'phq9', type: 'instrument', instrument: 'phq9', label: { en: 'PHQ-9', es: 'PHQ-9' }, required: true },
      { id: 'smokes', type: 'yesno', label: { en: 'Smoke?', es: '¿Fuma?' } },
      { id: 'notes', type: 'longtext', label: { en: 'Notes', es: 'Notas' } },
    ],
  });

  it('refuses what the patient left out, naming each place', () => {
    const p = checkValues(form, emptyValues(form));
    expect(p['meds']).toBe('form.meds.missing');
    expect(p['allergies']).toBe('form.allergy.missing');
    expect(Object.keys(p).filter((k) => k.startsWith('phq9.'))).toHaveLength(9);
    expect(p['phone']).toBeUndefined();
  });

  it('sends each answer in its documented shape, and an empty list only when the patient said "none"', () => {
    const v: Values = {
      ...emptyValues(form),
      phone: ' 555-201-0142 ',
      address: { line1: '12 Elm St', line2: '', city: 'Springfield', state: 'IL', postalCode: '62701' },
      insurance: { payerName: 'Acme Health', memberId: 'A123', groupNumber: '', subscriberName: '' },
      meds: {
        none: false,
        rows: [
          { name: 'Lisinopril', dose: '10 mg', howOften: 'daily', stopped: false },
          { name: '', dose: '', howOften: '', stopped: false },
        ],
      },
      allergies: { none: true, rows: [] },
      phq9: [0, 1, 2, 3, 0, 1, 2, 3, 0],
      smokes: 'no',
    };
    expect(checkValues(form, v)).toEqual({});
    const a = toAnswers(form, v);
    expect(Object.keys(a).sort()).toEqual(['address', 'allergies', 'insurance', 'meds', 'phone', 'phq9', 'smokes']);
    expect(a['phone']).toBe('555-201-0142');
    expect(a['smokes']).toBe(false);
    expect(a['allergies']).toEqual([]);
    expect(reportedAddress.safeParse(a['address']).success).toBe(true);
    expect(reportedInsurance.safeParse(a['insurance']).success).toBe(true);
    const meds = a['meds'] as unknown[];
    expect(meds).toHaveLength(1);
    expect(meds.every((m) => reportedMedication.safeParse(m).success)).toBe(true);
    expect(a['phq9']).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0]);
  });

  it('wants a started list row completed', () => {
    const v: Values = { ...emptyValues(form), allergies: { none: false, rows: [{ substance: '', reaction: 'hives' }] } };
    expect(checkValues(form, v)['allergies.0.substance']).toBe('forms.missing');
    const ok: Values = { ...v, allergies: { none: false, rows: [{ substance: 'Penicillin', reaction: 'hives' }] } };
    expect(reportedAllergy.safeParse((toAnswers(form, ok)['allergies'] as unknown[])[0]).success).toBe(true);
  });
});
