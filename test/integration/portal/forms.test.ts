import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableColumns } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUMENTS, PHQ9_ITEM9_FLAG } from '../../../shared/domain/instruments';
import { reportedDemographic, reportedMedication, reportedScore, type IntakeForm, type PortalSettings } from '../../../shared/domain/portal';
import { DEVICE_COLUMNS, type Fields } from '../../../shared/sync/entities';
import { encodeHlc } from '../../../shared/sync/hlc';
import { newId } from '../../../electron/common/ids';
import { patientReportedItems } from '../../../electron/services/db/schema';
import { openServerDb, type ServerDb } from '../../../electron/server/db/open';
import { formsDue, loadForms } from '../../../electron/server/portal/portal-forms';
import { loadPortalSettings } from '../../../electron/server/portal/portal.routes';
import { submitForm, type PortalActor, type PortalDeps } from '../../../electron/server/portal/portal-writes';
import { ServerError } from '../../../electron/server/server-error';
import { lockRows, writeLog } from '../../../electron/server/sync-log';
import { SyncService } from '../../../electron/server/sync.service';
import { resourcesDir, tempDir } from '../../helpers/temp-db';

const NOW = Date.parse('2031-03-03T14:00:00Z');
const SELF: PortalActor = { accountId: 'acct-self', displayName: 'Rosa Delgado', kind: 'self' };
const PROXY: PortalActor = { accountId: 'acct-proxy', displayName: 'Luis Delgado', kind: 'proxy' };

/** A row as a device's change would leave it: merged into sync_rows and numbered in the change log. */
async function seed(db: ServerDb, entity: string, patientId: string | null, fields: Fields): Promise<string> {
  const id = (fields['id'] as string | undefined) ?? newId();
  await db.tx(async (q) => {
    const rows = await lockRows(q, [{ entity, id }]);
    const data = { ...fields, id };
    const clocks = Object.fromEntries(Object.keys(data).map((k) => [k, encodeHlc({ wall: Date.now(), counter: 0, node: 'seed' })]));
    rows.set(`${entity}\u0000${id}`, { entity, entityId: id, patientId: patientId ?? id, data, clocks });
    await writeLog(
      q,
      [{ deviceId: null, deviceSeq: null, entity, entityId: id, patientId: patientId ?? id, op: 'insert', fields: data, clocks, authorId: 'seed' }],
      rows,
    );
  });
  return id;
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const e = await p.then(
    () => expect.fail('accepted'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ServerError);
  return { status: (e as ServerError).status, code: (e as ServerError).code, message: (e as ServerError).message };
}

/** The clinic's settings as the server loads them; a problem fails the test. */
function settingsIn(dir: string): PortalSettings {
  const loaded = loadPortalSettings(dir);
  if ('problem' in loaded) throw new Error(loaded.problem);
  return loaded.settings;
}

describe('intake forms: the shipped files', () => {
  it('all five load without a warning, every text in English and Spanish, the instruments in their published English wording', () => {
    const warnings: string[] = [];
    const forms = loadForms(resourcesDir, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    expect([...forms.keys()].sort()).toEqual(['demographics-insurance', 'gad7', 'medication-allergy-review', 'phq9', 'review-of-systems']);
    for (const f of forms.values()) {
      for (const q of f.questions) {
        expect(q.label.es).not.toBe(q.label.en);
        for (const c of q.choices ?? []) expect(c.label.es.length).toBeGreaterThan(0);
      }
    }
    for (const id of ['phq9', 'gad7'] as const) {
      const q = forms.get(id)!.questions.find((x) => x.type === 'instrument')!;
      expect(q.items!.map((i) => i.en)).toEqual([...INSTRUMENTS[id].items]);
    }
    expect(warnings).toEqual([]);
    const settings = settingsIn(resourcesDir);
    for (const ids of Object.values(settings.intake)) for (const id of ids) expect(forms.has(id), id).toBe(true);
    const pathology = settings.release.rules.find((r) => r.kind === 'pathology')!;
    expect(pathology.days).toBe(3);
    expect(pathology.loinc).toEqual(expect.arrayContaining(['22634-0', '60567-5']) as string[]);
    expect(settings.release.defaultDays).toBe(0);
  });

  it('a broken form is named in the log and skipped; the others still load; a broken settings file falls back to the defaults', () => {
    const t = tempDir('cairn-portal-forms-');
    try {
      cpSync(join(resourcesDir, 'portal'), join(t.dir, 'portal'), { recursive: true });
      const dir = join(t.dir, 'portal', 'forms');
      writeFileSync(join(dir, 'truncated.json'), '{ "id": "truncated", ');
      writeFileSync(
        join(dir, 'english-only.json'),
        JSON.stringify({ id: 'english-only', title: { en: 'Hi' }, questions: [{ id: 'a', type: 'text', label: { en: 'A', es: 'A' } }] }),
      );
      writeFileSync(
        join(dir, 'misnamed.json'),
        JSON.stringify({ id: 'other-name', title: { en: 'A', es: 'A' }, questions: [{ id: 'a', type: 'text', label: { en: 'A', es: 'A' } }] }),
      );
      const phq = JSON.parse(readFileSync(join(dir, 'phq9.json'), 'utf8')) as IntakeForm;
      phq.id = 'phq9-edited';
      phq.questions[0]!.items![3] = { en: 'Feeling a bit tired', es: 'Un poco cansado' };
      writeFileSync(join(dir, 'phq9-edited.json'), JSON.stringify(phq));
      const warnings: string[] = [];
      const forms = loadForms(t.dir, (m) => warnings.push(m));
      expect(forms.size).toBe(5);
      expect(warnings).toHaveLength(4);
      expect(warnings.find((w) => w.startsWith('intake form truncated.json skipped:'))).toBeDefined();
      expect(warnings.find((w) => w.startsWith('intake form english-only.json skipped:'))).toContain('title.es');
      expect(warnings.find((w) => w.startsWith('intake form misnamed.json skipped:'))).toContain('must be its file name (other-name.json)');
      expect(warnings.find((w) => w.startsWith('intake form phq9-edited.json skipped:'))).toContain("item 4 is not PHQ-9's published wording");
      writeFileSync(join(t.dir, 'portal', 'portal-settings.json'), JSON.stringify({ booking: { horizonDays: 0 } }));
      // A broken settings file is refused, naming the file (the portal's API then answers 503), never guessed around.
      const broken = loadPortalSettings(t.dir);
      expect('problem' in broken && broken.problem).toMatch(/portal-settings\.json is not valid: booking\.horizonDays/);
      mkdirSync(join(t.dir, 'empty', 'portal'), { recursive: true });
      expect(loadForms(join(t.dir, 'empty'), (m) => warnings.push(m)).size).toBe(0);
    } finally {
      t.cleanup();
    }
  });
});

describe('intake forms: due before a visit, and answers checked and stored as patient-reported items (PGlite)', () => {
  let db: ServerDb;
  let deps: PortalDeps;
  let rosa: string;
  let other: string;
  let newPatientVisit: string;
  let followUp: string;

  const items = async (submissionId: string): Promise<Fields[]> =>
    (
      await db.query<{ data: Fields }>(
        "SELECT data FROM sync_rows WHERE entity = 'patient_reported_item' AND data->>'submission_id' = $1 ORDER BY data->>'item_id'",
        [submissionId],
      )
    ).map((r) => r.data);
  const count = async (): Promise<number> =>
    (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM sync_rows WHERE entity = 'patient_reported_item'"))[0]!.n;
  const visit = (patientId: string, type: string, start: string, status = 'scheduled'): Fields => ({
    patient_id: patientId,
    appointment_type: type,
    start_at: start,
    end_at: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
    status,
    deleted_at: null,
  });

  beforeAll(async () => {
    db = await openServerDb({ memory: true }, resourcesDir);
    const settings: PortalSettings = settingsIn(resourcesDir);
    deps = { sync: new SyncService(db), settings, forms: loadForms(resourcesDir), resourcesDir, now: () => NOW };
    rosa = await seed(db, 'patient', null, { given_name: 'Rosa', family_name: 'Delgado', deleted_at: null });
    other = await seed(db, 'patient', null, { given_name: 'Other', family_name: 'Person', deleted_at: null });
    newPatientVisit = await seed(db, 'appointment', rosa, visit(rosa, 'new-patient', '2031-03-05T15:00:00.000Z'));
    followUp = await seed(db, 'appointment', rosa, visit(rosa, 'follow-up', '2031-03-12T14:00:00.000Z'));
    await seed(db, 'appointment', rosa, visit(rosa, 'annual-physical', '2031-03-06T15:00:00.000Z', 'cancelled'));
    await seed(db, 'appointment', rosa, visit(rosa, 'annual-physical', '2031-02-20T15:00:00.000Z'));
  });

  afterAll(async () => {
    await db?.close();
  });

  it("the forms due are those of each upcoming visit's type (and every type's), in visit order, until sent", async () => {
    const due = await formsDue(deps, rosa);
    expect(due.map((d) => [d.appointmentId === newPatientVisit ? 'new' : d.appointmentId === followUp ? 'follow-up' : '?', d.formId])).toEqual([
      ['new', 'demographics-insurance'],
      ['new', 'medication-allergy-review'],
      ['new', 'review-of-systems'],
      ['new', 'phq9'],
      ['new', 'gad7'],
      ['follow-up', 'demographics-insurance'],
      ['follow-up', 'medication-allergy-review'],
    ]);
    expect(due.every((d) => d.submittedAt === null)).toBe(true);
    expect(due[0]).toMatchObject({
      title: { en: 'Contact details and insurance', es: 'Datos de contacto y seguro médico' },
      appointmentStart: '2031-03-05T15:00:00.000Z',
    });
    await submitForm(deps, SELF, rosa, 'gad7', { appointmentId: newPatientVisit, answers: { gad7: [0, 1, 0, 0, 1, 0, 0] } });
    const after = await formsDue(deps, rosa);
    expect(after.filter((d) => d.submittedAt !== null).map((d) => [d.formId, d.appointmentId])).toEqual([['gad7', newPatientVisit]]);
    expect(await formsDue(deps, other)).toEqual([]);
  });

  it('a PHQ-9 becomes one pending score item (total, severity, the item-9 flag) as a complete row authored by the portal account', async () => {
    const r = await submitForm(deps, PROXY, rosa, 'phq9', {
      appointmentId: newPatientVisit,
      answers: { phq9: [2, 2, 1, 1, 2, 1, 1, 0, 1], difficulty: 'very-difficult' },
    });
    expect(r.items).toBe(2);
    const [difficulty, score] = await items(r.submissionId);
    const cols = Object.values(getTableColumns(patientReportedItems)).map((c) => c.name);
    expect(cols.filter((c) => !DEVICE_COLUMNS.includes(c) && !(c in score!))).toEqual([]);
    expect(score).toMatchObject({
      patient_id: rosa,
      submission_id: r.submissionId,
      form_id: 'phq9',
      form_title: 'Patient Health Questionnaire (PHQ-9)',
      kind: 'score',
      label: `PHQ-9 total (${PHQ9_ITEM9_FLAG})`,
      appointment_id: newPatientVisit,
      submitted_at: new Date(NOW).toISOString(),
      submitted_by: 'proxy',
      status: 'pending',
      reviewed_by: null,
      chart_record: null,
      created_by: 'portal:acct-proxy',
    });
    expect(reportedScore.parse(JSON.parse(String(score!['value'])))).toEqual({
      instrument: 'phq9',
      answers: [2, 2, 1, 1, 2, 1, 1, 0, 1],
      total: 11,
      severity: 'moderate',
      flags: [PHQ9_ITEM9_FLAG],
    });
    expect(difficulty).toMatchObject({ kind: 'answer', value: '"Very difficult"', submission_id: r.submissionId });
  });

  it('a PHQ-9 answer out of range, missing or of the wrong count is refused naming the question; nothing is stored', async () => {
    const before = await count();
    const bad = await refusal(submitForm(deps, SELF, rosa, 'phq9', { appointmentId: null, answers: { phq9: [0, 1, 2, 4, 0, 0, 0, 0, 0] } }));
    expect(bad).toEqual({
      status: 400,
      code: 'invalid_answer',
      message: 'PHQ-9 question 4 ("Feeling tired or having little energy"): choose one of the four answers (0, 1, 2 or 3); got 4',
    });
    const gap = await refusal(submitForm(deps, SELF, rosa, 'phq9', { appointmentId: null, answers: { phq9: [0, 1, null, 1, 0, 0, 0, 0, 0] } }));
    expect(gap.message).toBe(
      'PHQ-9 question 3 ("Trouble falling or staying asleep, or sleeping too much"): choose one of the four answers (0, 1, 2 or 3); got no answer',
    );
    const short = await refusal(submitForm(deps, SELF, rosa, 'phq9', { appointmentId: null, answers: { phq9: [0, 1, 1] } }));
    expect(short.message).toBe(
      '"Over the last 2 weeks, how often have you been bothered by any of the following problems?": PHQ-9 has 9 questions; 3 answers were sent',
    );
    const none = await refusal(submitForm(deps, SELF, rosa, 'phq9', { appointmentId: null, answers: { difficulty: 'very-difficult' } }));
    expect(none.message).toBe('"Over the last 2 weeks, how often have you been bothered by any of the following problems?": this question needs an answer');
    const choice = await refusal(
      submitForm(deps, SELF, rosa, 'phq9', { appointmentId: null, answers: { phq9: [0, 0, 0, 0, 0, 0, 0, 0, 0], difficulty: 'meh' } }),
    );
    expect(choice.message).toContain('choose one of: Not difficult at all, Somewhat difficult, Very difficult, Extremely difficult');
    expect(await count()).toBe(before);
  });

  it('medicines and allergies: one item per entry; empty lists say "none"; an entry without its name is refused naming it', async () => {
    const r = await submitForm(deps, SELF, rosa, 'medication-allergy-review', {
      appointmentId: followUp,
      answers: {
        medications: [{ name: 'Lisinopril', dose: '10 mg', howOften: 'once a day' }, { name: 'Ibuprofen' }],
        allergies: [{ substance: 'Penicillin', reaction: 'hives' }],
        pharmacy: 'Main Street Pharmacy, Riverside',
      },
    });
    expect(r.items).toBe(4);
    const got = await items(r.submissionId);
    expect(got.map((i) => [i['item_id'], i['kind']])).toEqual([
      ['allergies-1', 'allergy'],
      ['medications-1', 'medication'],
      ['medications-2', 'medication'],
      ['pharmacy', 'answer'],
    ]);
    expect(reportedMedication.parse(JSON.parse(String(got[2]!['value'])))).toEqual({ name: 'Ibuprofen', dose: '', howOften: '', stopped: false });
    const empty = await submitForm(deps, SELF, rosa, 'medication-allergy-review', { appointmentId: null, answers: { medications: [], allergies: [] } });
    expect((await items(empty.submissionId)).map((i) => JSON.parse(String(i['value'])) as unknown)).toEqual(['no known allergies', 'none taken']);
    const unnamed = await refusal(
      submitForm(deps, SELF, rosa, 'medication-allergy-review', {
        appointmentId: null,
        answers: { medications: [{ name: 'Aspirin' }, { dose: '5 mg' }], allergies: [] },
      }),
    );
    expect(unnamed.message).toMatch(/^"The medicines you take now \(leave the list empty if you take none\)": entry 2: each medicine needs its name/);
    const missing = await refusal(submitForm(deps, SELF, rosa, 'medication-allergy-review', { appointmentId: null, answers: { medications: [] } }));
    expect(missing.message).toContain(
      '"Your allergies to medicines, foods or other things (leave the list empty if you have none)": this question needs an answer',
    );
  });

  it('contact details become demographic items naming the chart field; insurance its own; a bad email or phone is refused naming the question', async () => {
    const r = await submitForm(deps, SELF, rosa, 'demographics-insurance', {
      appointmentId: newPatientVisit,
      answers: {
        phone: '(555) 201-0142',
        email: 'rosa.delgado@example.com',
        address: { line1: '12 Elm St', city: 'Riverside', state: 'CA', postalCode: '92501' },
        insurance: { payerName: 'Acme Health', memberId: 'XJ-2231' },
      },
    });
    const got = await items(r.submissionId);
    expect(got.map((i) => [i['item_id'], i['kind']])).toEqual([
      ['address', 'demographics'],
      ['email', 'demographics'],
      ['insurance', 'insurance'],
      ['phone', 'demographics'],
    ]);
    expect(reportedDemographic.parse(JSON.parse(String(got[0]!['value'])))).toEqual({
      field: 'address',
      value: { line1: '12 Elm St', line2: '', city: 'Riverside', state: 'CA', postalCode: '92501' },
    });
    expect(JSON.parse(String(got[3]!['value']))).toEqual({ field: 'phone', value: '(555) 201-0142' });
    const email = await refusal(submitForm(deps, SELF, rosa, 'demographics-insurance', { appointmentId: null, answers: { email: 'rosa at example' } }));
    expect(email.message).toBe('"Email address": enter an email address like name@example.com');
    const phone = await refusal(submitForm(deps, SELF, rosa, 'demographics-insurance', { appointmentId: null, answers: { phone: '12' } }));
    expect(phone.message).toBe('"Phone number": enter a phone number with its area code, like 555-201-0142');
    const addr = await refusal(submitForm(deps, SELF, rosa, 'demographics-insurance', { appointmentId: null, answers: { address: { line1: '12 Elm St' } } }));
    expect(addr.message).toMatch(/^"Home address": give the street, city, state and postal code \(city: /);
    expect(await refusal(submitForm(deps, SELF, rosa, 'demographics-insurance', { appointmentId: null, answers: {} }))).toMatchObject({
      message: 'the form "Contact details and insurance" was sent without any answer',
    });
  });

  it('review of systems: yes/no per system; "maybe", an unknown question, another chart\'s visit or an unknown form are refused', async () => {
    const form = deps.forms.get('review-of-systems')!;
    const answers: Record<string, unknown> = Object.fromEntries(form.questions.filter((q) => q.type === 'yesno').map((q) => [q.id, false]));
    answers['respiratory'] = true;
    answers['other'] = 'Cough for a week.';
    const r = await submitForm(deps, SELF, rosa, 'review-of-systems', { appointmentId: newPatientVisit, answers });
    const got = await items(r.submissionId);
    expect(got.find((i) => i['item_id'] === 'respiratory')).toMatchObject({ kind: 'answer', value: '"yes"' });
    expect(got.find((i) => i['item_id'] === 'skin')).toMatchObject({ value: '"no"' });
    const maybe = await refusal(submitForm(deps, SELF, rosa, 'review-of-systems', { appointmentId: null, answers: { ...answers, skin: 'maybe' } }));
    expect(maybe.message).toBe('"Skin: a rash, itching, or a new mole or one that has changed": answer yes or no');
    const withoutEyes = Object.fromEntries(Object.entries(answers).filter(([k]) => k !== 'eyes'));
    expect((await refusal(submitForm(deps, SELF, rosa, 'review-of-systems', { appointmentId: null, answers: withoutEyes }))).message).toBe(
      '"Eyes: changes in your vision, or eye pain or redness": this question needs an answer',
    );
    expect((await refusal(submitForm(deps, SELF, rosa, 'review-of-systems', { appointmentId: null, answers: { ...answers, hobbies: 'golf' } }))).message).toBe(
      'the form "Review of systems" has no question "hobbies"',
    );
    const otherVisit = await seed(db, 'appointment', other, visit(other, 'new-patient', '2031-03-05T16:00:00.000Z'));
    expect(await refusal(submitForm(deps, SELF, rosa, 'review-of-systems', { appointmentId: otherVisit, answers }))).toMatchObject({
      status: 404,
      message: 'no such appointment',
    });
    expect(await refusal(submitForm(deps, SELF, rosa, 'no-such-form', { appointmentId: null, answers }))).toMatchObject({
      status: 404,
      message: 'no such form',
    });
  });
});
