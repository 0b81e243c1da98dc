import { newId } from '../../common/ids';
import { isResultMessage } from '../../../shared/domain/lab-results';
import { isTimeZone, localTimeZone } from '../../../shared/domain/dates';
import {
  ackForParseError,
  buildAck,
  createSegment,
  get,
  type Hl7Message,
  hl7Timestamp,
  isSupportedVersion,
  parseMessage,
  readHeader,
  writeMessage,
} from '../../../shared/hl7';
import { statementsFor } from '../db/statement-cache';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import { handleAdt } from './adt';
import { handleAdtNotice } from './adt-notice';
import { auditReceipt, type Decision, type HandlerContext } from './context';
import { type MatchOptions, PatientMatcher } from './match';
import { handleMdm } from './mdm';
import { handleOru } from './oru';
import { handleRefI12 } from './ref-i12';
import { handleVxu } from './vxu';

/** What became of one received message: the CLI's JSON line, plus the ACK to send back. */
export interface IngestOutcome {
  messageId: string;
  controlId: string | null;
  type: string;
  ack: 'AA' | 'AE' | 'AR';
  /** The ACK message, CR-terminated segments. */
  ackMessage: string;
  patientId: string | null;
  queued: boolean;
  results: number;
  /** The same control id from the same facility was received before: acknowledged again, not applied. */
  duplicate: boolean;
  error?: string;
}

export interface IngestOptions extends MatchOptions {
  /** Who the writes are recorded as; the clinic server accepts `cli:` authors as the operator. */
  actor?: Actor;
  /** Where times sent without an offset are read (an IANA zone); default this machine's. */
  timeZone?: string;
}

/** ADT events Cairn applies: registrations and updates (adt.ts), and a hospital's admission and discharge notices (adt-notice.ts). */
const ADT_HANDLED = ['A01', 'A03', 'A04', 'A28', 'A08', 'A31', 'A40'];
/** Message types Cairn processes some events of: any other event of these is "event not supported". */
const KNOWN_TYPES = new Set(['ORU', 'OUL', 'ADT', 'MDM', 'VXU', 'REF']);

/** Where a message without a readable MSH is answered from: an empty header. */
const NO_HEADER: Hl7Message = {
  delimiters: { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&', truncation: null },
  segments: [createSegment('MSH', ['|', '^~\\&', '', '', '', '', '', '', ['ACK'], '', 'P', '2.5'])],
};

/**
 * Receives HL7 v2 messages from any transport: stores each one as it came, applies it (ORU^R01 and OUL^R22 results,
 * ADT registrations, updates offered for review, admission and discharge notices; MDM^T02 documents; VXU^V04
 * immunizations offered for reconciliation; REF^I12 incoming referrals) in the same transaction, and builds its ACK:
 * - AA: applied, or held for a person (unmatched patient, ambiguous match, merge, a locally edited
 *   field): the message is safe here, so the sender must not resend it;
 * - AE: the message is wrong (the reason names its segment and field); nothing was applied;
 * - AR: not for us: unreadable MSH, unsupported version, or a message type Cairn does not process.
 * A control id already accepted from the same sending facility is acknowledged again, not applied.
 */
export class Hl7Ingest {
  private readonly matcher: PatientMatcher;
  private readonly actor: Actor;
  private readonly timeZone: string;
  private seq = 0;
  /** Inside receiveMany's first pass: messages are applied without a savepoint of their own. */
  private grouped = false;

  constructor(
    private readonly repos: Repos,
    options: IngestOptions = {},
  ) {
    this.matcher = new PatientMatcher(repos.store.sqlite, options);
    this.actor = options.actor ?? { userId: 'cli:hl7' };
    this.timeZone = options.timeZone ?? localTimeZone();
    if (!isTimeZone(this.timeZone)) throw new Error(`"${this.timeZone}" is not a time zone (an IANA name such as America/Chicago)`);
  }

  /**
   * `charsetProblem`: the bytes named a character set that cannot be decoded (see decodeHl7); `raw`
   * is then their lossless Windows-1252 reading, stored as the message and answered AR.
   */
  receive(raw: string, source: string, charsetProblem?: string): IngestOutcome {
    const text = raw.replace(/^\uFEFF/, '');
    const parsed = parseMessage(text);
    if (!parsed.ok) {
      const e = parsed.error;
      const ack =
        ackForParseError(e, this.ackIds()) ??
        buildAck(NO_HEADER, { code: 'AR', ...this.ackIds(), error: { reason: e.message, condition: '100', segment: e.segment, occurrence: 1 } });
      const h = readHeader(e.header ?? NO_HEADER);
      const code = get(ack, 'MSA-1') === 'AE' ? 'AE' : 'AR';
      return this.storeFailure(text, source, h.controlId, h, code, e.message, ack);
    }
    const message = parsed.value;
    const h = readHeader(message);
    const type = `${h.messageType}^${h.triggerEvent}`;
    if (charsetProblem !== undefined) {
      const ack = buildAck(message, {
        code: 'AR',
        ...this.ackIds(),
        error: { reason: charsetProblem, condition: '103', segment: 'MSH', occurrence: 1, field: 18 },
      });
      return this.storeFailure(text, source, h.controlId, h, 'AR', charsetProblem, ack);
    }
    if (!isSupportedVersion(h.version)) {
      const reason = `MSH field 12: version "${h.version}" is not supported (2.3 to 2.8)`;
      const ack = buildAck(message, { code: 'AR', ...this.ackIds(), error: { reason, condition: '203', segment: 'MSH', occurrence: 1, field: 12 } });
      return this.storeFailure(text, source, h.controlId, h, 'AR', reason, ack);
    }
    const earlier = this.earlier(h.sendingFacility, h.controlId);
    if (earlier) {
      const ack = buildAck(message, {
        code: earlier.ackCode as 'AA',
        ...this.ackIds(),
        text: `duplicate of message ${h.controlId} received ${earlier.receivedAt}: acknowledged again, not applied twice`,
      });
      return {
        messageId: earlier.id,
        controlId: h.controlId,
        type,
        ack: earlier.ackCode as 'AA',
        ackMessage: writeMessage(ack),
        patientId: earlier.patientId,
        queued: earlier.status === 'queued',
        results: 0,
        duplicate: true,
        ...(earlier.error && { error: earlier.error }),
      };
    }
    let decision: Decision;
    let messageId: string;
    try {
      [messageId, decision] = this.apply(message, h, text, source, type);
    } catch (e) {
      // Without a savepoint of its own, what the message wrote is still in the group's transaction.
      if (this.grouped) throw new GroupUndone();
      if (e instanceof Rejected) {
        const { ack: code, error } = e.decision;
        const ack = buildAck(message, { code, ...this.ackIds(), ...(error && { error }) });
        return this.storeFailure(text, source, h.controlId, h, code === 'AR' ? 'AR' : 'AE', e.message, ack);
      }
      // Nothing of the message was applied (its transaction rolled back); it is still kept.
      const reason = `application error: ${e instanceof Error ? e.message : String(e)}`;
      const ack = buildAck(message, { code: 'AE', ...this.ackIds(), error: { reason, condition: '207' } });
      return this.storeFailure(text, source, h.controlId, h, 'AE', reason, ack);
    }
    const ack = buildAck(message, {
      code: decision.ack,
      ...this.ackIds(),
      ...(decision.text !== undefined && { text: decision.text }),
      ...(decision.error && { error: decision.error }),
    });
    const error = decision.error?.reason ?? (decision.ack === 'AA' ? undefined : decision.text);
    return {
      messageId,
      controlId: h.controlId,
      type,
      ack: decision.ack,
      ackMessage: writeMessage(ack),
      patientId: decision.patientId,
      queued: decision.status === 'queued',
      results: decision.results,
      duplicate: false,
      ...(error !== undefined && { error }),
    };
  }

  /**
   * Receives several messages with one commit (group commit). First without a savepoint per message
   * (a savepoint copies every page a message touches, a tenth of what storing it costs): as long as
   * every message is applied, the outcome is exactly that of one `receive` each. A message refused
   * or failing part-way would leave its writes in the shared transaction, so then the whole group is
   * rolled back and received again with a savepoint per message, where a refused one rolls back
   * alone, exactly as `receive` would. Nothing is acknowledged before the commit. If the shared
   * transaction fails as a whole, nothing of it was kept and each message is received on its own.
   */
  receiveMany(items: readonly { raw: string; source: string; charsetProblem?: string }[]): IngestOutcome[] {
    if (items.length === 1) return [this.receive(items[0]!.raw, items[0]!.source, items[0]!.charsetProblem)];
    const { sqlite } = this.repos.store;
    const all = (): IngestOutcome[] => items.map((m) => this.receive(m.raw, m.source, m.charsetProblem));
    let failure: unknown;
    this.grouped = true;
    try {
      return sqlite.transaction(all).immediate();
    } catch (e) {
      failure = e;
    } finally {
      this.grouped = false;
    }
    if (!(failure instanceof GroupUndone)) return all();
    try {
      return sqlite.transaction(all).immediate();
    } catch {
      return all();
    }
  }

  private ackIds(): { controlId: string; timestamp: string } {
    const now = this.repos.writer.now().getTime();
    return { controlId: `ACK${now.toString(36).toUpperCase()}${(++this.seq).toString(36).toUpperCase()}`, timestamp: hl7Timestamp(now) };
  }

  private earlier(
    facility: string,
    controlId: string,
  ): { id: string; ackCode: string; receivedAt: string; patientId: string | null; status: string; error: string | null } | undefined {
    return statementsFor(this.repos.store.sqlite)
      .get(
        `SELECT id, ack_code AS ackCode, received_at AS receivedAt, patient_id AS patientId, status, error FROM hl7_messages
         WHERE sending_facility = ? AND control_id = ? AND status <> 'error'`,
      )
      .get(facility, controlId) as
      { id: string; ackCode: string; receivedAt: string; patientId: string | null; status: string; error: string | null } | undefined;
  }

  /** Stores the message and applies it, all in one transaction. */
  private apply(message: Hl7Message, h: ReturnType<typeof readHeader>, text: string, source: string, type: string): [string, Decision] {
    const write = this.grouped ? this.repos.writer.writeInOpen.bind(this.repos.writer) : this.repos.writer.write.bind(this.repos.writer);
    return write((at) => {
      const messageId = this.insertRow(text, source, h, 'processing', 'AA', null, at);
      const ctx: HandlerContext = {
        message,
        messageId,
        at,
        actor: this.actor,
        repos: this.repos,
        matcher: this.matcher,
        timeZone: this.timeZone,
        received: `${type} ${h.controlId} from ${source}`,
      };
      // A results message records its receipt itself: folded into its one audit entry when all of it
      // is stored on one chart, else first, as here (see handleOru).
      if (!isResultMessage(type)) auditReceipt(ctx);
      const decision = this.route(ctx, h.messageType, h.triggerEvent);
      if (decision.status === 'error') throw new Rejected(decision);
      statementsFor(this.repos.store.sqlite)
        .get(`UPDATE hl7_messages SET status = ?, ack_code = ?, error = ?, patient_id = ?, results = ? WHERE id = ?`)
        .run(decision.status, decision.ack, decision.ack === 'AA' ? null : (decision.text ?? null), decision.patientId, decision.results, messageId);
      return [messageId, decision] as [string, Decision];
    });
  }

  private route(ctx: HandlerContext, type: string, trigger: string): Decision {
    if (isResultMessage(`${type}^${trigger}`)) return handleOru(ctx);
    if (type === 'ADT' && (trigger === 'A01' || trigger === 'A03')) return handleAdtNotice(ctx, trigger);
    if (type === 'ADT' && ADT_HANDLED.includes(trigger)) return handleAdt(ctx, trigger);
    if (type === 'MDM' && trigger === 'T02') return handleMdm(ctx);
    if (type === 'VXU' && trigger === 'V04') return handleVxu(ctx);
    if (type === 'REF' && trigger === 'I12') return handleRefI12(ctx);
    const known = KNOWN_TYPES.has(type);
    const reason = known
      ? `${type}^${trigger} is not processed by Cairn (event not supported); the message is stored`
      : `${type}^${trigger} messages are not processed by Cairn; the message is stored`;
    return {
      status: 'not_processed',
      ack: 'AR',
      text: reason,
      error: { reason, condition: known ? '201' : '200', segment: 'MSH', occurrence: 1, field: 9 },
      patientId: null,
      results: 0,
    };
  }

  private insertRow(text: string, source: string, h: ReturnType<typeof readHeader>, status: string, ack: string, error: string | null, at: string): string {
    const id = newId();
    statementsFor(this.repos.store.sqlite)
      .get(
        `INSERT INTO hl7_messages (id, control_id, sending_facility, sending_application, message_type, raw, source, received_at, status, ack_code, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, h.controlId, h.sendingFacility, h.sendingApplication, `${h.messageType}^${h.triggerEvent}`, text, source, at, status, ack, error);
    return id;
  }

  private storeFailure(
    text: string,
    source: string,
    controlId: string,
    h: ReturnType<typeof readHeader>,
    code: 'AE' | 'AR',
    reason: string,
    ack: Hl7Message,
  ): IngestOutcome {
    const messageId = this.repos.writer.write((at) => {
      const id = this.insertRow(text, source, h, 'error', code, reason, at);
      this.repos.audit.append(
        { action: 'hl7.receive', userId: this.actor.userId, patientId: null, recordType: 'hl7_message', recordId: id, detail: `${code}: ${reason}` },
        at,
      );
      return id;
    });
    return {
      messageId,
      controlId: controlId || null,
      type: h.messageType ? `${h.messageType}^${h.triggerEvent}` : '',
      ack: code,
      ackMessage: writeMessage(ack),
      patientId: null,
      queued: false,
      results: 0,
      duplicate: false,
      error: reason,
    };
  }
}

/** receiveMany's first pass met a message that was not applied whole: the group is received again, a savepoint each. */
class GroupUndone extends Error {
  constructor() {
    super('a message of the group was not applied: the group is received again, one savepoint per message');
  }
}

/** A handler's refusal (AE): thrown to roll back whatever it wrote, caught by `receive`. */
class Rejected extends Error {
  constructor(readonly decision: Decision) {
    super(decision.error?.reason ?? decision.text ?? 'rejected');
  }
}
