import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalThreadSummary, PortalThreadView } from '../../../shared/api/portal.contract';
import type { Note } from '../../../shared/domain/clinical';
import type { Patient } from '../../../shared/domain/patient';
import { checkOutboxPayloads } from '../../helpers/outbox-check';
import { CLINIC } from '../../helpers/clinic';
import { tempDir } from '../../helpers/temp-db';
import { openDesk, type Desk } from './desk-setup';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('the portal inbox on the desk: threads from the portal, replies, assignment, closing and chart notes', () => {
  const t = tempDir('cairn-portal-inbox-');
  let now = new Date('2026-12-07T14:00:00.000Z');
  const tick = (minutes: number): void => void (now = new Date(now.getTime() + minutes * 60_000));
  const outboxCheck = checkOutboxPayloads();
  let d: Desk;
  let rosa: Patient;
  let tom: Patient;
  let rash: { threadId: string; messageId: string };
  let refill: { threadId: string; messageId: string };

  beforeAll(async () => {
    d = await openDesk(t.dir, () => now);
    rosa = await d.patient('Rosa', 'Mensaje');
    tom = await d.patient('Tom', 'Refill');
    rash = d.fromPortal.thread(rosa.id, 'Rash on my arm', 'The rash is spreading since Monday. Photo attached.', {
      at: '2026-12-07T12:00:00.000Z',
      attachment: { name: 'arm.png', type: 'image/png', data: PNG },
    });
    refill = d.fromPortal.thread(tom.id, 'Refill please', 'I need more of my blood pressure pills.', { at: '2026-12-07T13:00:00.000Z' });
  });
  afterAll(() => {
    outboxCheck.restore();
    d.session.close();
    t.cleanup();
  });

  it('lists open threads newest first, with the patient, the subject and whether the patient is waiting for an answer', async () => {
    await d.as('nurse');
    const inbox = await d.ok<PortalThreadSummary[]>('portal.inbox', {});
    expect(inbox.map((x) => x.id)).toEqual([refill.threadId, rash.threadId]);
    expect(inbox[1]).toEqual({
      id: rash.threadId,
      patientId: rosa.id,
      patientName: 'Rosa Mensaje',
      restricted: false,
      subject: 'Rash on my arm',
      status: 'open',
      assignedTo: null,
      assignedName: null,
      openedBy: 'patient',
      lastMessageAt: '2026-12-07T12:00:00.000Z',
      messageCount: 1,
      awaitingReply: true,
      noteId: null,
    });
    expect(d.session.repos.audit.list().at(-1)).toMatchObject({ action: 'portal.inbox', patientId: null });
  });

  it('opens a thread (audited on its chart) with attachment metadata, and the attachment itself only when asked (audited)', async () => {
    const v = await d.ok<PortalThreadView>('portal.thread', { threadId: rash.threadId });
    expect(v.messages).toEqual([
      expect.objectContaining({
        id: rash.messageId,
        authorKind: 'patient',
        body: 'The rash is spreading since Monday. Photo attached.',
        attachment: { name: 'arm.png', type: 'image/png', bytes: PNG.length },
      }),
    ]);
    expect(JSON.stringify(v)).not.toContain(PNG.toString('base64'));
    expect(d.session.repos.audit.list({ patientId: rosa.id }).at(-1)).toMatchObject({ action: 'portal.thread.read', recordId: rash.threadId });
    const file = await d.ok<{ name: string; type: string; base64: string }>('portal.attachment', { messageId: rash.messageId });
    expect(file).toEqual({ name: 'arm.png', type: 'image/png', base64: PNG.toString('base64') });
    expect(d.session.repos.audit.list({ patientId: rosa.id }).at(-1)).toMatchObject({ action: 'portal.attachment.read', recordId: rash.messageId });
    expect(d.code(await d.call('portal.attachment', { messageId: '01960000-0000-7000-8000-0000000000ff' }))).toBe('not_found');
  });

  it('replies as the signed-in staff member: a message row, the thread’s last activity, audit and outbox entries', async () => {
    tick(5);
    const v = await d.ok<PortalThreadView>('portal.reply', {
      threadId: rash.threadId,
      body: 'Please keep it clean and dry; we can see you tomorrow at 9.',
      attachment: { name: 'care.png', type: 'image/png', base64: PNG.toString('base64') },
    });
    const reply = v.messages.at(-1)!;
    expect(reply).toMatchObject({
      authorKind: 'staff',
      authorName: 'Nina Nurse',
      sentAt: now.toISOString(),
      attachment: { name: 'care.png', bytes: PNG.length },
    });
    expect(v.thread).toMatchObject({ lastMessageAt: now.toISOString(), awaitingReply: false, messageCount: 2, status: 'open' });
    const row = d.session.repos.store.sqlite.prepare('SELECT * FROM portal_messages WHERE id = ?').get(reply.id) as Record<string, unknown>;
    expect(row).toMatchObject({
      author_kind: 'staff',
      author_id: d.userId('nurse'),
      patient_id: rosa.id,
      thread_id: rash.threadId,
      attachment_bytes: PNG.length,
    });
    expect(d.outbox('portal_message', reply.id)).toEqual([{ op: 'insert' }]);
    // The thread came from the clinic server; this device's first record of it is its first outbox entry.
    expect(d.outbox('portal_thread', rash.threadId)).toHaveLength(1);
    const actions = d.session.repos.audit.list({ patientId: rosa.id }).slice(-2);
    expect(actions).toMatchObject([
      { action: 'portal.reply', recordId: reply.id, userId: d.userId('nurse') },
      { action: 'portal.thread.update', recordId: rash.threadId },
    ]);
    // The patient writes again (a later pull): the thread waits for staff again.
    tick(5);
    d.fromPortal.message(rash.threadId, rosa.id, 'Thank you, I will come.', now.toISOString());
    expect((await d.ok<PortalThreadView>('portal.thread', { threadId: rash.threadId })).thread).toMatchObject({ awaitingReply: true, messageCount: 3 });
  });

  it('refuses an empty reply and an attachment over the clinic’s limit, writing nothing', async () => {
    const before = d.session.repos.store.sqlite.prepare('SELECT COUNT(*) AS n FROM portal_messages').get() as { n: number };
    expect(await d.call('portal.reply', { threadId: rash.threadId, body: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const big = Buffer.alloc(2 * 1024 * 1024 + 1, 1).toString('base64');
    expect(
      await d.call('portal.reply', { threadId: rash.threadId, body: 'see this', attachment: { name: 'big.pdf', type: 'application/pdf', base64: big } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: "the attachment is larger than the clinic's limit of 2.0 MB" },
    });
    expect(
      await d.call('portal.reply', { threadId: rash.threadId, body: 'x', attachment: { name: 'a.exe', type: 'application/x-msdownload', base64: 'AAAA' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(d.session.repos.store.sqlite.prepare('SELECT COUNT(*) AS n FROM portal_messages').get()).toEqual(before);
  });

  it('assigns threads to someone who answers portal messages, and filters mine and unassigned', async () => {
    const nurse = d.userId('nurse');
    expect(await d.ok<PortalThreadSummary>('portal.assign', { threadId: refill.threadId, userId: nurse })).toMatchObject({
      assignedTo: nurse,
      assignedName: 'Nina Nurse',
    });
    expect(d.session.repos.audit.list({ patientId: tom.id }).at(-1)).toMatchObject({ action: 'portal.assign', detail: nurse });
    expect((await d.ok<PortalThreadSummary[]>('portal.inbox', { assignedTo: 'me' })).map((x) => x.id)).toEqual([refill.threadId]);
    expect((await d.ok<PortalThreadSummary[]>('portal.inbox', { assignedTo: 'unassigned' })).map((x) => x.id)).toEqual([rash.threadId]);
    expect(await d.call('portal.assign', { threadId: refill.threadId, userId: d.userId('biller') })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'userId' }] },
    });
    expect(await d.ok<PortalThreadSummary>('portal.assign', { threadId: refill.threadId, userId: null })).toMatchObject({ assignedTo: null });
    expect(d.outbox('portal_thread', refill.threadId).map((o) => o.op)).toEqual(['insert', 'update']);
  });

  it('closes a thread (once), lists it under closed, and a reply opens it again', async () => {
    tick(1);
    expect(await d.ok<PortalThreadSummary>('portal.close', { threadId: refill.threadId })).toMatchObject({ status: 'closed' });
    expect(d.session.repos.audit.list({ patientId: tom.id }).at(-1)).toMatchObject({ action: 'portal.close', recordId: refill.threadId });
    expect(d.code(await d.call('portal.close', { threadId: refill.threadId }))).toBe('conflict');
    expect((await d.ok<PortalThreadSummary[]>('portal.inbox', {})).map((x) => x.id)).toEqual([rash.threadId]);
    expect((await d.ok<PortalThreadSummary[]>('portal.inbox', { status: 'closed' })).map((x) => x.id)).toEqual([refill.threadId]);
    expect((await d.ok<PortalThreadSummary[]>('portal.inbox', { status: 'all' })).length).toBe(2);
    tick(1);
    const v = await d.ok<PortalThreadView>('portal.reply', { threadId: refill.threadId, body: 'Your refill was sent to the pharmacy.' });
    expect(v.thread).toMatchObject({ status: 'open', lastMessageAt: now.toISOString() });
    const row = d.session.repos.store.sqlite.prepare('SELECT status, version FROM portal_threads WHERE id = ?').get(refill.threadId);
    expect(row).toEqual({ status: 'open', version: 5 });
  });

  it('turns a thread into a draft chart note holding its messages, linked from the thread, once (clinicians only)', async () => {
    await d.as('desk');
    expect(d.code(await d.call('portal.toNote', { threadId: rash.threadId }))).toBe('forbidden');
    await d.as('doc');
    const r = await d.ok<{ noteId: string; thread: PortalThreadSummary }>('portal.toNote', { threadId: rash.threadId });
    expect(r.thread.noteId).toBe(r.noteId);
    expect(d.session.repos.audit.list({ patientId: rosa.id }).slice(-2)).toMatchObject([
      { action: 'note.create', recordId: r.noteId },
      { action: 'portal.to_note', recordId: rash.threadId, detail: r.noteId },
    ]);
    const note = (await d.ok<Note[]>('notes.list', { patientId: rosa.id })).find((n) => n.id === r.noteId)!;
    expect(note).toMatchObject({ status: 'draft', title: 'Portal message: Rash on my arm', templateId: 'primary-care-soap' });
    const content = note.content as Record<string, string>;
    expect(content['chief-complaint']).toBe('Rash on my arm');
    expect(content['hpi']).toContain('The rash is spreading since Monday. Photo attached.');
    expect(content['hpi']).toContain('[attachment: arm.png]');
    expect(content['hpi']).toContain('Nina Nurse (staff):\nPlease keep it clean and dry');
    expect(content['hpi']).toContain('Thank you, I will come.');
    expect(d.outbox('note', r.noteId)).toEqual([{ op: 'insert' }]);
    expect(await d.call('portal.toNote', { threadId: rash.threadId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('keeps the inbox and threads from billing', async () => {
    await d.as('biller');
    for (const [c, i] of [
      ['portal.inbox', {}],
      ['portal.thread', { threadId: rash.threadId }],
      ['portal.attachment', { messageId: rash.messageId }],
      ['portal.reply', { threadId: rash.threadId, body: 'hi' }],
    ] as const)
      expect(d.code(await d.call(c, i)), c).toBe('forbidden');
    await d.as('doc');
  });

  it('shows a restricted chart’s thread in the inbox by the patient’s name only, and opens it only after break-glass', async () => {
    await d.as('nurse');
    await d.ok('session.logout');
    await d.ok('session.login', CLINIC.admin);
    await d.ok('patients.setRestricted', { id: tom.id, restricted: true });
    await d.as('nurse');
    const row = (await d.ok<PortalThreadSummary[]>('portal.inbox', { status: 'all' })).find((x) => x.id === refill.threadId)!;
    expect(row).toMatchObject({ patientName: 'Tom Refill', restricted: true, subject: null });
    for (const [c, i] of [
      ['portal.thread', { threadId: refill.threadId }],
      ['portal.reply', { threadId: refill.threadId, body: 'hello' }],
      ['portal.close', { threadId: refill.threadId }],
    ] as const)
      expect(d.code(await d.call(c, i)), c).toBe('break_glass_required');
    await d.ok('patients.breakGlass', { patientId: tom.id, reason: 'answering the patient about the refill', password: 'copper willow lantern 7' });
    expect((await d.ok<PortalThreadView>('portal.thread', { threadId: refill.threadId })).thread.subject).toBe('Refill please');
    expect((await d.ok<PortalThreadSummary[]>('portal.inbox', { status: 'all' })).find((x) => x.id === refill.threadId)!.subject).toBe('Refill please');
  });

  it('queued every change for sync with the whole row as stored', () => {
    expect(outboxCheck.checked()).toBeGreaterThan(5);
    expect(outboxCheck.mismatches).toEqual([]);
  });
});
