import type { portalChannels, PortalThreadView } from '../../../shared/api/portal.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { AreaHandlers, HandlerContext, SignedIn } from '../handler-context';
import type { Repos } from '../repos';
import { ConfidentialRepo } from './confidential.repo';
import { IntakeService } from './intake.service';
import { InvitesRepo } from './invites.repo';
import { inviteLetterPdf } from './invite-letter.pdf';
import { MessagesRepo } from './messages.repo';
import { PortalRows } from './portal-rows';
import { portalSettings } from './portal-settings';
import { THREAD_NOTE_TEMPLATE, threadNote } from './thread-note';

interface PortalDesk {
  repos: Repos;
  rows: PortalRows;
  invites: InvitesRepo;
  messages: MessagesRepo;
  intake: IntakeService;
  confidential: ConfidentialRepo;
}

/** Staff who may be assigned a portal thread (the roles that read the inbox). */
const ASSIGNABLE = ['physician', 'nurse', 'front_desk'];

/** The portal desk's handlers, one per channel of shared/api/portal.contract.ts. */
export function portalHandlers(ctx: HandlerContext): AreaHandlers<typeof portalChannels> {
  const { session, now, reading } = ctx;
  let built: PortalDesk | null = null;
  // Built once per open database (a new unlock opens a new one), like the composition root's services.
  const desk = (): PortalDesk => {
    const repos = session.repos;
    if (built?.repos === repos) return built;
    const rows = new PortalRows(repos.store.sqlite, repos.writer);
    built = {
      repos,
      rows,
      invites: new InvitesRepo(rows, now),
      messages: new MessagesRepo(rows),
      intake: new IntakeService(repos, rows, () => ctx.services().billing, now),
      confidential: new ConfidentialRepo(rows),
    };
    return built;
  };
  const settings = (): ReturnType<typeof portalSettings>['settings'] => portalSettings(session.repos.resources).settings;
  const threadRead = (threadId: string, me: SignedIn): PortalThreadView => desk().messages.thread(threadId, me.viewer.mayOpen);

  return {
    'portal.invite': async (i, me) => {
      const d = desk();
      d.repos.patients.requireLiving(i.patientId, 'inviting to the portal');
      const p = d.repos.patients.peek(i.patientId);
      const { invite, code } = d.invites.create(i, me.actor);
      const { settings: s, fromFile } = portalSettings(session.repos.resources);
      const bytes = await inviteLetterPdf({
        clinic: { name: fromFile ? s.clinicName : ctx.clinicName(), phone: s.clinicPhone },
        patientName: `${p.givenName} ${p.familyName}`,
        proxy: i.kind === 'proxy' ? { name: i.proxyName ?? '' } : null,
        code,
        expiresAt: invite.expiresAt,
        portalUrl: s.portalUrl,
        madeAt: invite.createdAt,
      });
      return {
        inviteId: invite.id,
        code,
        expiresAt: invite.expiresAt,
        fileName: `portal-invitation-${p.mrn}.pdf`,
        letterPdfBase64: Buffer.from(bytes).toString('base64'),
      };
    },
    'portal.access': (i, me) => {
      desk().repos.patients.peek(i.patientId);
      reading(me, 'portal.access.read', i.patientId);
      return desk().invites.list(i.patientId);
    },
    'portal.revoke': (i, me) => desk().invites.revoke(i.inviteId, i.reason, me.actor),
    'portal.inbox': (i, me) => {
      // Many charts at once: one audit entry for the listing (opening a thread is audited on its chart).
      session.repos.writer.read('portal.inbox', me.actor, null);
      return desk().messages.inbox(i, me.user.id, me.viewer.mayOpen);
    },
    'portal.thread': (i, me) => {
      const v = threadRead(i.threadId, me);
      session.repos.writer.read('portal.thread.read', me.actor, v.thread.patientId, 'portal_thread', i.threadId);
      return v;
    },
    'portal.attachment': (i, me) => {
      const a = desk().messages.attachment(i.messageId);
      session.repos.writer.read('portal.attachment.read', me.actor, a.patientId, 'portal_message', i.messageId);
      return { name: a.name, type: a.type, base64: a.base64 };
    },
    'portal.reply': (i, me) => {
      const limits = settings().messages;
      if (i.body.length > limits.maxBodyChars)
        throw new CairnFailure('invalid_input', `a portal message holds at most ${limits.maxBodyChars} characters`, [
          { path: 'body', message: `at most ${limits.maxBodyChars} characters` },
        ]);
      if (i.attachment && Buffer.from(i.attachment.base64, 'base64').length > limits.maxAttachmentBytes) {
        const mb = (limits.maxAttachmentBytes / 1024 / 1024).toFixed(1);
        throw new CairnFailure('invalid_input', `the attachment is larger than the clinic's limit of ${mb} MB`, [
          { path: 'attachment', message: `at most ${mb} MB` },
        ]);
      }
      desk().messages.reply(i.threadId, { body: i.body, attachment: i.attachment }, { actor: me.actor, name: me.user.displayName });
      return threadRead(i.threadId, me);
    },
    'portal.assign': (i, me) => {
      if (i.userId !== null) {
        const u = desk().rows.get<{ role: string; disabled: number }>('SELECT role, disabled FROM users WHERE id = ? AND deleted_at IS NULL', i.userId);
        if (!u || u.disabled || !ASSIGNABLE.includes(u.role))
          throw new CairnFailure('invalid_input', 'assign the thread to an active physician, nurse or front-desk user', [
            { path: 'userId', message: 'not someone who answers portal messages' },
          ]);
      }
      desk().messages.assign(i.threadId, i.userId, me.actor);
      return desk().messages.summary(i.threadId, me.viewer.mayOpen);
    },
    'portal.close': (i, me) => {
      desk().messages.close(i.threadId, me.actor);
      return desk().messages.summary(i.threadId, me.viewer.mayOpen);
    },
    'portal.toNote': (i, me) => {
      const d = desk();
      const v = threadRead(i.threadId, me);
      if (v.thread.noteId) throw new CairnFailure('conflict', 'this thread is already in a chart note: open that note to add to it');
      const { title, content } = threadNote(v);
      const noteId = d.repos.writer.write((at) => {
        const note = d.repos.notes.saveDraft({ patientId: v.thread.patientId, templateId: THREAD_NOTE_TEMPLATE, title, content }, me.actor);
        d.messages.linkNote(at, i.threadId, note.id, me.actor);
        return note.id;
      });
      return { noteId, thread: d.messages.summary(i.threadId, me.viewer.mayOpen) };
    },
    'portal.reported': (i, me) => {
      reading(me, 'portal.reported.read', i.patientId);
      return desk().intake.list(i.patientId, i.status, me.user.role);
    },
    'portal.accept': (i, me) => desk().intake.accept(i.itemId, { note: i.note, substanceType: i.substanceType, payerId: i.payerId }, me.actor, me.user.role),
    'portal.decline': (i, me) => desk().intake.decline(i.itemId, i.reason, me.actor, me.user.role),
    'portal.confidential': (i, me) => desk().confidential.set(i, me.actor),
    'portal.confidentialList': (i, me) => {
      reading(me, 'portal.confidential.read', i.patientId);
      return desk().confidential.list(i.patientId);
    },
  };
}
