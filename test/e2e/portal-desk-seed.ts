import { newId } from '../../electron/common/ids';
import type { Repos } from '../../electron/services/repos';
import { PullApplier } from '../../electron/services/sync/pull-applier';
import { encodeHlc } from '../../shared/sync/hlc';
import type { EntityName, Fields } from '../../shared/sync/entities';
import type { Change } from '../../shared/sync/protocol';

/**
 * What the patient portal writes, arriving on a desktop as it does in the clinic: changes authored
 * `portal:<account id>` (SyncService.writeAsPortal on the clinic server) applied by the device's
 * own pull applier, exactly as a sync pull applies them. Synthetic data only.
 */
export class PortalArrivals {
  private readonly applier: PullApplier;
  private serverSeq = 1_000_000;
  private counter = 0;

  constructor(
    private readonly repos: Repos,
    /** The portal account writing (a synthetic id). */
    readonly accountId = newId(),
  ) {
    this.applier = new PullApplier(repos.store.sqlite, repos.rowAccess, repos.clock);
  }

  private get author(): string {
    return `portal:${this.accountId}`;
  }

  /** Applies whole new rows as one pulled page (the cursor is left where it was). */
  arrive(rows: { entity: EntityName; patientId: string; fields: Fields }[]): void {
    const at = new Date().toISOString();
    const changes: Change[] = rows.map((r) => {
      const fields: Fields = { created_at: at, created_by: this.author, updated_at: at, updated_by: this.author, version: 1, ...r.fields };
      const hlc = encodeHlc({ wall: Date.now(), counter: this.counter++, node: 'portal' });
      return {
        serverSeq: ++this.serverSeq,
        entity: r.entity,
        id: String(fields['id']),
        op: 'insert',
        patientId: r.patientId,
        fields,
        clocks: Object.fromEntries(Object.keys(fields).map((k) => [k, hlc])),
        deviceId: null,
        deviceSeq: null,
      };
    });
    const counts = this.applier.applyPage(changes, 0, () => undefined);
    if (counts.parked > 0) {
      const why = this.repos.store.sqlite.prepare('SELECT reason FROM sync_parked ORDER BY server_seq DESC LIMIT 1').get() as { reason: string };
      throw new Error(`a portal change was parked: ${why.reason}`);
    }
  }

  /** A patient starts a thread (with an attachment, if given). */
  thread(
    patientId: string,
    t: { subject: string; body: string; authorName: string; attachment?: { name: string; type: string; data: Buffer } },
  ): { threadId: string; messageId: string } {
    const threadId = newId();
    const messageId = newId();
    const sentAt = new Date().toISOString();
    this.arrive([
      {
        entity: 'portal_thread',
        patientId,
        fields: {
          id: threadId,
          patient_id: patientId,
          subject: t.subject,
          status: 'open',
          assigned_to: null,
          opened_by: 'patient',
          last_message_at: sentAt,
          note_id: null,
        },
      },
      {
        entity: 'portal_message',
        patientId,
        fields: {
          id: messageId,
          thread_id: threadId,
          patient_id: patientId,
          author_kind: 'patient',
          author_id: this.accountId,
          author_name: t.authorName,
          body: t.body,
          attachment_name: t.attachment?.name ?? null,
          attachment_type: t.attachment?.type ?? null,
          attachment_bytes: t.attachment?.data.length ?? null,
          attachment_data: t.attachment?.data.toString('base64') ?? null,
          sent_at: sentAt,
        },
      },
    ]);
    return { threadId, messageId };
  }

  /** A further message from the patient in a thread (the thread row itself is the server's to merge). */
  message(patientId: string, threadId: string, m: { body: string; authorName: string }): string {
    const id = newId();
    this.arrive([
      {
        entity: 'portal_message',
        patientId,
        fields: {
          id,
          thread_id: threadId,
          patient_id: patientId,
          author_kind: 'patient',
          author_id: this.accountId,
          author_name: m.authorName,
          body: m.body,
          attachment_name: null,
          attachment_type: null,
          attachment_bytes: null,
          attachment_data: null,
          sent_at: new Date().toISOString(),
        },
      },
    ]);
    return id;
  }

  /** One intake form as the patient sent it: its items, pending review. */
  intake(
    patientId: string,
    form: { formId: string; formTitle: string; appointmentId?: string },
    items: { itemId: string; kind: string; label: string; value: unknown }[],
  ): { submissionId: string; itemIds: string[] } {
    const submissionId = newId();
    const submittedAt = new Date().toISOString();
    const rows = items.map((i) => ({
      entity: 'patient_reported_item' as const,
      patientId,
      fields: {
        id: newId(),
        patient_id: patientId,
        submission_id: submissionId,
        form_id: form.formId,
        form_title: form.formTitle,
        item_id: i.itemId,
        kind: i.kind,
        label: i.label,
        value: JSON.stringify(i.value),
        appointment_id: form.appointmentId ?? null,
        submitted_at: submittedAt,
        submitted_by: 'patient',
        status: 'pending',
        reviewed_by: null,
        reviewed_at: null,
        review_note: null,
        chart_record: null,
      },
    }));
    this.arrive(rows);
    return { submissionId, itemIds: rows.map((r) => String(r.fields.id)) };
  }

  /** A visit the patient booked on the portal. */
  booking(patientId: string, b: { providerId: string | null; typeId: string; startAt: string; endAt: string; reason: string }): string {
    const id = newId();
    this.arrive([
      {
        entity: 'appointment',
        patientId,
        fields: {
          id,
          patient_id: patientId,
          provider_id: b.providerId,
          room: null,
          appointment_type: b.typeId,
          start_at: b.startAt,
          end_at: b.endAt,
          status: 'scheduled',
          reason: b.reason,
          booked_online: 1,
        },
      },
    ]);
    return id;
  }
}
