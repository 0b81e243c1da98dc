import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/api/result';
import { patientInput, type Patient, type SearchHit } from '../../shared/domain/patient';
import type { ChartLinks, ConflictView, QuarantineItem, SyncStatusView } from '../../shared/domain/sync-review';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { clientFor, enrollThisDevice, inProcessSyncLoop } from '../../electron/services/sync';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { signInClinicUsers, signInOnServer, startTestServer } from '../helpers/sync-server';
import { newStore, resourcesDir, tempDir } from '../helpers/temp-db';

type Call = (channel: string, input?: unknown) => Promise<Result<unknown>>;
type Ok = <T>(channel: string, input?: unknown) => Promise<T>;

/** One device: a real encrypted database, its session and the real dispatcher with its sync loop. */
interface Device {
  session: Session;
  call: Call;
  ok: Ok;
  sync: () => Promise<SyncStatusView>;
  signIn: (who: { username: string; password: string }) => Promise<void>;
}

function device(session: Session): Device {
  const loop = inProcessSyncLoop(session.repos.store, session.repos, () => session.status().user?.id ?? null);
  const handlers = createHandlers({ session, sync: loop });
  const call: Call = (c, i = {}) => dispatch(handlers, c, i);
  const ok: Ok = async <T>(c: string, i: unknown = {}): Promise<T> => {
    const r = await call(c, i);
    if (!r.ok) expect.fail(`${c} failed: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  const sync = async (): Promise<SyncStatusView> => {
    const s = await ok<SyncStatusView>('sync.now');
    expect(s.error, JSON.stringify(s.error)).toBeNull();
    return s;
  };
  const signIn = async (who: { username: string; password: string }): Promise<void> => {
    await ok('session.logout');
    await ok('session.login', who);
  };
  return { session, call, ok, sync, signIn };
}

const FRONT_DESK = { username: 'frontdesk', password: 'copper lantern 23' };

describe('sync conflicts, duplicates and refused changes between two devices and a real clinic server', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const dirs: (() => void)[] = [];
  let clinic: Clinic;
  let a: Device;
  let b: Device;
  let docId: string;
  let beforeEnrollment: { a: string; b: string };

  /** A syncs, then B, then A again: both hold everything the server knows. */
  const syncAll = async (): Promise<void> => {
    await a.sync();
    await b.sync();
    await a.sync();
  };

  beforeAll(async () => {
    server = await startTestServer('pglite');
    const da = tempDir('cairn-conflicts-a-');
    const db = tempDir('cairn-conflicts-b-');
    dirs.push(da.cleanup, db.cleanup);
    clinic = await openClinic(da.dir);
    const aRepos = clinic.session.repos;
    docId = aRepos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    // Registered before either device was enrolled: both get the first MRN of the plain series.
    beforeEnrollment = {
      a: aRepos.patients.create(patientInput.parse({ givenName: 'Hollis', familyName: 'Amberley', birthDate: '1950-02-03', sex: 'male' }), { userId: docId })
        .id,
      b: '',
    };
    await enrollThisDevice(aRepos.store, aRepos, {
      serverUrl: server.url,
      code: (await server.sync.createEnrollmentCode('Exam room laptop')).code,
      deviceName: 'Exam room laptop',
    });
    await signInClinicUsers(aRepos.store.sqlite);
    a = device(clinic.session);

    // Device B: a fresh encrypted database that gets the clinic's users from the server.
    const { store, file } = await newStore(db.dir);
    store.close();
    const sb = new Session({ dbFile: file, resourcesDir });
    await sb.unlock('correct horse battery staple');
    beforeEnrollment.b = sb.repos.patients.create(patientInput.parse({ givenName: 'Wren', familyName: 'Castellano', birthDate: '1988-11-30', sex: 'female' }), {
      userId: docId,
    }).id;
    await enrollThisDevice(sb.repos.store, sb.repos, {
      serverUrl: server.url,
      code: (await server.sync.createEnrollmentCode('Front desk PC')).code,
      deviceName: 'Front desk PC',
    });
    await signInClinicUsers(sb.repos.store.sqlite);
    expect((await clientFor(sb.repos.store, sb.repos, () => docId).syncOnce()).error).toBeNull();
    await sb.login(CLINIC.doc.username, CLINIC.doc.password);
    b = device(sb);
    await a.sync();
  });

  afterAll(async () => {
    b?.session.close();
    clinic?.session.close();
    await server?.stop();
    dirs.forEach((d) => d());
  });

  it('the status shows changes waiting, then synced', async () => {
    await a.ok('patients.create', { givenName: 'Pell', familyName: 'Orsolya', birthDate: '1979-09-09', sex: 'female' });
    const waiting = await a.ok<SyncStatusView>('sync.status');
    expect(waiting).toMatchObject({ state: 'idle', serverUrl: server.url });
    expect(waiting.pending).toBeGreaterThanOrEqual(1);
    const synced = await a.sync();
    expect(synced).toMatchObject({ state: 'idle', pending: 0, error: null });
    expect(synced.lastSyncedAt).not.toBeNull();
  });

  it('a field conflict is listed on both devices, resolved on one, and shows resolved with the chosen value on the other', async () => {
    const p = await a.ok<Patient>('patients.create', {
      givenName: 'Tomas',
      familyName: 'Ferreira-Lind',
      birthDate: '1990-01-15',
      sex: 'male',
      phone: '555-0200',
    });
    await a.sync();
    await b.sync();
    // A pull bumps the local version of a row: editors re-read before editing, as the screen does.
    await a.ok('patients.update', { id: p.id, expectedVersion: (await a.ok<Patient>('patients.get', { id: p.id })).version, phone: '555-1111' });
    const onB = await b.ok<Patient>('patients.get', { id: p.id });
    await b.ok('patients.update', { id: p.id, expectedVersion: onB.version, phone: '555-2222' });
    await syncAll();

    const listA = await a.ok<ConflictView[]>('sync.conflicts.list', { patientId: p.id });
    const listB = await b.ok<ConflictView[]>('sync.conflicts.list', { patientId: p.id });
    expect(listA).toHaveLength(1);
    expect(listB.map((c) => c.id)).toEqual(listA.map((c) => c.id));
    const conflict = listA[0]!;
    expect(conflict).toMatchObject({
      kind: 'field',
      status: 'open',
      entity: 'patient',
      entityLabel: 'Demographics',
      field: 'phone',
      fieldLabel: 'Phone',
      patientName: 'Ferreira-Lind, Tomas',
      mayResolve: true,
      hidden: false,
    });
    expect(conflict.values.map((v) => v.value).sort()).toEqual(['555-1111', '555-2222']);
    expect(conflict.values.filter((v) => v.shown)).toHaveLength(1);
    expect(conflict.values.every((v) => v.author === 'Dr. Gregory House' && v.at !== null)).toBe(true);
    expect(conflict.values.map((v) => v.device).sort()).toEqual(['another device', 'this device (Exam room laptop)']);
    expect((await a.ok<SyncStatusView>('sync.status')).conflictsOpen).toBeGreaterThanOrEqual(1);

    // Keep the value that is not shown now, on device B.
    const keep = listB[0]!.values.findIndex((v) => !v.shown);
    const kept = listB[0]!.values[keep]!.value as string;
    const resolved = await b.ok<ConflictView>('sync.conflicts.resolve', { id: conflict.id, choice: keep, note: 'confirmed with the patient' });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'Dr. Gregory House', resolution: `kept "${kept}" — confirmed with the patient` });
    expect((await b.ok<Patient>('patients.get', { id: p.id })).phone).toBe(kept);
    expect(await b.call('sync.conflicts.resolve', { id: conflict.id, choice: 0 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const audited = b.session.repos.audit.list().filter((e) => e.action === 'sync.conflict_resolve');
    expect(audited.map((e) => e.recordId).sort()).toEqual([conflict.id, p.id].sort());

    await b.sync();
    await a.sync();
    expect(await a.ok<ConflictView[]>('sync.conflicts.list', { patientId: p.id })).toEqual([]);
    const onA = await a.ok<ConflictView[]>('sync.conflicts.list', { patientId: p.id, includeClosed: true });
    expect(onA).toHaveLength(1);
    expect(onA[0]).toMatchObject({ id: conflict.id, status: 'resolved', resolution: `kept "${kept}" — confirmed with the patient` });
    expect((await a.ok<Patient>('patients.get', { id: p.id })).phone).toBe(kept);
    // The derived search digits followed the phone, and no new conflict came from the resolution.
    const digits = kept.replace(/\D/g, '');
    expect((await a.ok<SearchHit[]>('patients.search', { query: digits })).map((h) => h.id)).toContain(p.id);
    expect(a.session.repos.store.sqlite.prepare('SELECT count(*) AS n FROM sync_conflicts WHERE entity_id = ?').get(p.id)).toEqual({ n: 1 });
  });

  it('a field conflict may be settled with a value typed in, checked like the registration form', async () => {
    const p = await a.ok<Patient>('patients.create', { givenName: 'Bo', familyName: 'Lindqvist', birthDate: '1995-03-03', sex: 'male' });
    await a.sync();
    await b.sync();
    await a.ok('patients.update', { id: p.id, expectedVersion: (await a.ok<Patient>('patients.get', { id: p.id })).version, email: 'bo@old.example' });
    await b.ok('patients.update', { id: p.id, expectedVersion: (await b.ok<Patient>('patients.get', { id: p.id })).version, email: 'bo@new.example' });
    await syncAll();
    const [conflict] = await a.ok<ConflictView[]>('sync.conflicts.list', { patientId: p.id });
    expect(conflict).toMatchObject({ field: 'email', fieldLabel: 'Email' });
    expect(await a.call('sync.conflicts.resolve', { id: conflict!.id, choice: { value: 'not an address' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'Email: email is not valid' },
    });
    const done = await a.ok<ConflictView>('sync.conflicts.resolve', { id: conflict!.id, choice: { value: 'bo@clinic.example' } });
    expect(done).toMatchObject({ status: 'resolved', resolution: 'kept "bo@clinic.example"' });
    await a.sync();
    await b.sync();
    expect((await b.ok<Patient>('patients.get', { id: p.id })).email).toBe('bo@clinic.example');
  });

  it("a signed note's text is not changed by a resolution: the conflict is dismissed after an addendum", async () => {
    const p = await a.ok<Patient>('patients.create', { givenName: 'Ada', familyName: 'Brennholt', birthDate: '1966-06-06', sex: 'female' });
    const templates = await a.ok<{ templates: { id: string; sections: { fields: { id: string; kind: string; required?: boolean }[] }[] }[] }>('templates.list');
    const required = templates.templates
      .find((x) => x.id === 'primary-care-soap')!
      .sections.flatMap((s) => s.fields)
      .filter((f) => f.required && (f.kind === 'text' || f.kind === 'textarea'));
    const content = (who: string): Record<string, string> => Object.fromEntries(required.map((f) => [f.id, `Synthetic ${f.id} (${who})`]));
    const draft = await a.ok<{ id: string; version: number }>('notes.saveDraft', {
      patientId: p.id,
      templateId: 'primary-care-soap',
      title: 'SOAP note',
      content: content('first'),
    });
    await a.sync();
    await b.sync();
    const versionOf = (d: Device): number =>
      (d.session.repos.store.sqlite.prepare('SELECT version FROM clinical_notes WHERE id = ?').get(draft.id) as { version: number }).version;
    const onA = await a.ok<{ id: string; version: number }>('notes.saveDraft', {
      id: draft.id,
      expectedVersion: versionOf(a),
      patientId: p.id,
      templateId: 'primary-care-soap',
      title: 'SOAP note',
      content: content('device A'),
    });
    await b.ok('notes.saveDraft', {
      id: draft.id,
      expectedVersion: versionOf(b),
      patientId: p.id,
      templateId: 'primary-care-soap',
      title: 'SOAP note',
      content: content('device B'),
    });
    await syncAll();
    const [conflict] = await a.ok<ConflictView[]>('sync.conflicts.list', { patientId: p.id });
    expect(conflict).toMatchObject({ entity: 'note', field: 'content', fieldLabel: 'Note text', signedNote: false, mayResolve: true });

    const version = versionOf(a);
    expect(version).toBeGreaterThan(onA.version);
    await a.ok('notes.sign', { id: draft.id, expectedVersion: version, password: CLINIC.doc.password });
    const [after] = await a.ok<ConflictView[]>('sync.conflicts.list', { patientId: p.id });
    expect(after).toMatchObject({ id: conflict!.id, signedNote: true, mayResolve: false, mayDismiss: true });
    expect(await a.call('sync.conflicts.resolve', { id: conflict!.id, choice: 0 })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('addendum') as unknown },
    });
    await a.ok('notes.addendum', {
      noteId: draft.id,
      text: 'The other device recorded: see the second version of the assessment.',
      password: CLINIC.doc.password,
    });
    const dismissed = await a.ok<ConflictView>('sync.conflicts.dismiss', { id: conflict!.id, reason: 'other version recorded in an addendum' });
    expect(dismissed).toMatchObject({ status: 'dismissed', resolution: 'dismissed: other version recorded in an addendum' });
    expect(a.session.repos.audit.list().map((e) => e.action)).toContain('sync.conflict_dismiss');
    await a.sync();
  });

  it('a possible duplicate is merged (search hides it on both devices) and unmerged again', async () => {
    const person = { givenName: 'Ines', familyName: 'Duarte', birthDate: '1975-05-05', sex: 'female' };
    const here = await a.ok<Patient>('patients.create', { ...person, phone: '555-0303' });
    const there = await b.ok<Patient>('patients.create', { ...person, email: 'ines@example.org' });
    await syncAll();
    const [dup] = (await a.ok<ConflictView[]>('sync.conflicts.list', {})).filter(
      (c) => c.kind === 'duplicate_patient' && c.charts.some((x) => x.id === here.id),
    );
    expect(dup).toBeDefined();
    expect(dup!.charts.map((x) => x.id).sort()).toEqual([here.id, there.id].sort());
    expect(dup!.charts.find((x) => x.id === there.id)).toMatchObject({ name: 'Duarte, Ines', email: 'ines@example.org', mergedInto: null });
    expect(dup!.mayResolve).toBe(true);
    // A duplicate is not settled by keeping a value.
    expect(await a.call('sync.conflicts.resolve', { id: dup!.id, choice: 0 })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const names = async (d: Device): Promise<string[]> => (await d.ok<SearchHit[]>('patients.search', { query: 'Duarte' })).map((h) => h.id).sort();
    expect(await names(a)).toEqual([here.id, there.id].sort());
    await a.ok('patients.merge', { survivorId: here.id, duplicateId: there.id, conflictId: dup!.id });
    expect(await names(a)).toEqual([here.id]);
    expect(await a.ok<ChartLinks>('patients.links', { id: here.id })).toMatchObject({
      mergedInto: null,
      mergedHere: [{ id: there.id, mrn: there.mrn, name: 'Duarte, Ines' }],
    });
    expect(await a.ok<ChartLinks>('patients.links', { id: there.id })).toMatchObject({ mergedInto: { id: here.id, mrn: here.mrn }, mergedHere: [] });
    // The merged chart stays whole: it still opens, with everything it had.
    expect((await a.ok<Patient>('patients.get', { id: there.id })).email).toBe('ines@example.org');
    const [settled] = await a.ok<ConflictView[]>('sync.conflicts.list', { patientId: here.id, includeClosed: true });
    expect(settled).toMatchObject({ id: dup!.id, status: 'resolved', resolution: `merged into MRN ${here.mrn}` });
    expect(await a.call('patients.merge', { survivorId: here.id, duplicateId: there.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await a.sync();
    await b.sync();
    expect(await names(b)).toEqual([here.id]);
    await a.ok('patients.unmerge', { id: there.id });
    expect(await names(a)).toEqual([here.id, there.id].sort());
    await a.sync();
    await b.sync();
    expect(await names(b)).toEqual([here.id, there.id].sort());
    const actions = a.session.repos.audit.list({ patientId: there.id }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['patient.merge', 'patient.unmerge']));
  });

  it('two charts with one MRN: one of them is given a new MRN', async () => {
    const mrnOf = (d: Device, id: string): string => d.session.repos.patients.peek(id).mrn;
    expect(mrnOf(a, beforeEnrollment.a)).toBe(mrnOf(b, beforeEnrollment.b));
    const [collision] = (await b.ok<ConflictView[]>('sync.conflicts.list', {})).filter((c) => c.kind === 'duplicate_mrn');
    expect(collision).toBeDefined();
    expect(collision).toMatchObject({ mayResolve: true, fieldLabel: 'MRN' });
    expect(collision!.charts.map((x) => x.id).sort()).toEqual([beforeEnrollment.a, beforeEnrollment.b].sort());
    const renumbered = await b.ok<Patient>('patients.reassignMrn', { id: beforeEnrollment.b, conflictId: collision!.id });
    expect(renumbered.mrn).not.toBe(mrnOf(a, beforeEnrollment.a));
    await b.sync();
    await a.sync();
    expect(mrnOf(a, beforeEnrollment.b)).toBe(renumbered.mrn);
    const onA = (await a.ok<ConflictView[]>('sync.conflicts.list', { includeClosed: true })).find((c) => c.id === collision!.id);
    expect(onA).toMatchObject({ status: 'resolved', resolution: `gave Castellano, Wren the new MRN ${renumbered.mrn}` });
    expect(b.session.repos.audit.list().some((e) => e.action === 'sync.conflict_resolve' && e.recordId === collision!.id)).toBe(true);
    expect(b.session.repos.audit.list({ patientId: beforeEnrollment.b }).map((e) => e.action)).toContain('patient.mrn_reassign');
  });

  it('a change the server refused is listed for review and marked reviewed, never deleted', async () => {
    const repos = a.session.repos;
    const adminId = repos.users.list().find((u) => u.username === CLINIC.admin.username)!.id;
    const fd = await repos.users.create(
      { username: FRONT_DESK.username, displayName: 'Fran Desk', role: 'front_desk', password: FRONT_DESK.password },
      adminId,
    );
    // The new account reaches the server; then she signs in on this device with the server checking her password.
    await a.ok('sync.now');
    await signInOnServer(repos.store.sqlite, FRONT_DESK.username, FRONT_DESK.password);
    const p = await a.ok<Patient>('patients.create', { givenName: 'Mora', familyName: 'Quist', birthDate: '2002-02-02', sex: 'female' });
    // A device write whose author's role may not write allergies: the clinic server refuses it.
    repos.allergies.add(
      { kind: 'allergy', patientId: p.id, substance: 'Penicillin', substanceType: 'drug', reactions: ['hives'], criticality: 'unable_to_assess' },
      { userId: fd.id },
    );
    const status = await a.ok<SyncStatusView>('sync.now');
    expect(status.quarantined).toBe(1);

    const [item] = await a.ok<QuarantineItem[]>('sync.quarantine.list', {});
    expect(item).toMatchObject({
      entity: 'allergy',
      entityLabel: 'Allergy',
      patientId: p.id,
      patientName: 'Quist, Mora',
      author: 'Fran Desk',
      reviewed: false,
      hidden: false,
    });
    expect(item!.reason).toMatch(/^forbidden: a front desk may not change allergy records/);
    expect(item!.values).toEqual(expect.arrayContaining([{ field: 'substance', label: 'Substance', value: 'Penicillin' }]));

    expect(await a.call('sync.quarantine.review', { deviceId: 'some-other-device', seq: item!.seq, note: 'entered by mistake' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const reviewed = await a.ok<QuarantineItem>('sync.quarantine.review', {
      deviceId: item!.deviceId,
      seq: item!.seq,
      note: 'allergy re-entered by the nurse',
    });
    expect(reviewed.reviewed).toBe(true);
    expect(reviewed.reason).toBe(`reviewed: ${item!.reason} — allergy re-entered by the nurse`);
    expect(await a.ok<QuarantineItem[]>('sync.quarantine.list', {})).toEqual([]);
    expect(await a.ok<QuarantineItem[]>('sync.quarantine.list', { includeReviewed: true })).toHaveLength(1);
    expect((await a.ok<SyncStatusView>('sync.status')).quarantined).toBe(0);
    expect(repos.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox WHERE device_id = ? AND seq = ?').get(item!.deviceId, item!.seq)).toEqual({
      n: 1,
    });
    expect(repos.audit.list().filter((e) => e.action === 'sync.quarantine_review')).toHaveLength(1);
    await a.sync();
  });

  it('front desk sees and settles demographics conflicts only', async () => {
    await a.sync();
    await b.sync();
    await a.signIn(FRONT_DESK);
    try {
      const visible = await a.ok<ConflictView[]>('sync.conflicts.list', { includeClosed: true });
      expect(visible.length).toBeGreaterThan(0);
      expect(visible.every((c) => c.entity === 'patient')).toBe(true);
      const note = a.session.repos.store.sqlite.prepare("SELECT id FROM sync_conflicts WHERE entity = 'note'").get() as { id: string };
      expect(await a.call('sync.conflicts.dismiss', { id: note.id, reason: 'not mine to settle' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await a.call('patients.merge', { survivorId: beforeEnrollment.a, duplicateId: beforeEnrollment.b })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      // The status poll counts what this role sees, and does not keep an idle session open.
      const s = await a.ok<SyncStatusView>('sync.status');
      expect(s.conflictsOpen).toBe(0);
    } finally {
      await a.signIn(CLINIC.doc);
    }
  });
});

describe('the sync status poll', () => {
  it('works without a sync worker and does not keep an idle session open', async () => {
    const t = tempDir('cairn-sync-idle-');
    let now = new Date('2026-11-25T09:00:00Z');
    const c = await openClinic(t.dir, () => now);
    try {
      expect(await c.ok<SyncStatusView>('sync.status')).toMatchObject({
        state: 'not_enrolled',
        serverUrl: null,
        pending: expect.any(Number) as unknown,
        conflictsOpen: 0,
      });
      expect(await c.ok<SyncStatusView>('sync.now')).toMatchObject({ state: 'not_enrolled' });
      for (let minute = 1; minute <= 11; minute++) {
        now = new Date(now.getTime() + 60_000);
        const r = await c.call('sync.status');
        if (minute <= 10) expect(r.ok, `minute ${minute}`).toBe(true);
      }
      expect(await c.call('patients.search', { query: 'anyone' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    } finally {
      c.session.close();
      t.cleanup();
    }
  });
});
