import { createHash } from 'node:crypto';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { newId } from '../../common/ids';
import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import type { Note, noteDraft } from '../../../shared/domain/clinical';
import { canonicalContent, noteContentSchema, type NoteTemplate } from '../../../shared/domain/templates';
import { zodIssues, summarize } from '../dispatch-errors';
import type { Orm } from '../db/open';
import { clinicalNotes, encounters, patients, users } from '../db/schema';
import { created, updated, type Actor, type ClinicalWriter } from './writer';
import { storedRow } from './stored-row';

type Row = typeof clinicalNotes.$inferSelect;

/** SHA-256 over the canonical (key-sorted) JSON of what was signed. */
export function noteHash(n: { title: string; templateId: string | null; content: unknown }): string {
  return createHash('sha256')
    .update(canonicalContent({ title: n.title, templateId: n.templateId, content: n.content }))
    .digest('hex');
}

/**
 * Clinical notes. Drafts change freely (optimistic versions); signing freezes a note (content
 * hash stored; the database refuses later changes); corrections are addenda; a wrong note is
 * marked entered in error with a reason, never deleted.
 */
export class NotesRepo {
  constructor(
    private readonly orm: Orm,
    private readonly writer: ClinicalWriter,
    private readonly template: (id: string) => NoteTemplate,
  ) {}

  private toNote(r: Row): Note {
    const author = this.orm.select({ name: users.displayName }).from(users).where(eq(users.id, r.authorId)).get();
    return {
      id: r.id,
      patientId: r.patientId,
      encounterId: r.encounterId,
      kind: r.kind === 'addendum' ? 'addendum' : 'note',
      status: r.status as Note['status'],
      templateId: r.templateId,
      title: r.title,
      content: JSON.parse(r.content) as Record<string, unknown>,
      authorId: r.authorId,
      authorName: author?.name ?? null,
      signedAt: r.signedAt,
      signedBy: r.signedBy,
      contentHash: r.contentHash,
      amendsNoteId: r.amendsNoteId,
      errorReason: r.errorReason,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      version: r.version,
    };
  }

  private load(id: string): Row {
    const r = this.orm.select().from(clinicalNotes).where(eq(clinicalNotes.id, id)).get();
    if (!r || r.deletedAt) throw new CairnFailure('not_found', `no note with id ${id}`);
    return r;
  }

  private checkContent(templateId: string, content: unknown, forSigning: boolean): void {
    const parsed = noteContentSchema(this.template(templateId), { forSigning }).safeParse(content);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error).map((i) => ({ ...i, path: i.path ? `content.${i.path}` : 'content' }));
      throw new CairnFailure('invalid_input', (forSigning ? 'cannot sign yet: ' : '') + summarize(issues), issues);
    }
  }

  saveDraft(input: z.output<typeof noteDraft>, actor: Actor): Note {
    this.checkContent(input.templateId, input.content, false);
    return this.writer.write((at) => {
      if (input.id) {
        const cur = this.load(input.id);
        if (cur.status !== 'draft') throw new CairnFailure('conflict', 'this note is signed and cannot be edited: add an addendum instead');
        if (input.expectedVersion !== undefined && cur.version !== input.expectedVersion) {
          throw new CairnFailure('conflict', `this draft was saved elsewhere at ${cur.updatedAt}; reload it before editing`);
        }
        const row = this.orm
          .update(clinicalNotes)
          .set({ title: input.title, content: JSON.stringify(input.content), ...updated(at, actor, cur.version) })
          .where(eq(clinicalNotes.id, cur.id))
          .returning()
          .get();
        const n = this.toNote(row);
        this.writer.record(at, {
          action: 'note.draft_save',
          actor,
          patientId: n.patientId,
          entity: 'note',
          id: n.id,
          op: 'update',
          payload: storedRow(clinicalNotes, row),
        });
        return n;
      }
      const p = this.orm
        .select({ id: patients.id })
        .from(patients)
        .where(and(eq(patients.id, input.patientId), isNull(patients.deletedAt)))
        .get();
      if (!p) throw new CairnFailure('not_found', `no patient with id ${input.patientId}`);
      if (input.encounterId) {
        const e = this.orm.select({ patientId: encounters.patientId }).from(encounters).where(eq(encounters.id, input.encounterId)).get();
        if (!e || e.patientId !== input.patientId) throw new CairnFailure('invalid_input', 'that encounter does not belong to this patient');
      }
      const row = this.orm
        .insert(clinicalNotes)
        .values({
          id: newId(),
          patientId: input.patientId,
          encounterId: input.encounterId ?? null,
          status: 'draft',
          kind: 'note',
          templateId: input.templateId,
          title: input.title,
          content: JSON.stringify(input.content),
          authorId: actor.userId,
          ...created(at, actor),
        })
        .returning()
        .get();
      const n = this.toNote(row);
      this.writer.record(at, {
        action: 'note.create',
        actor,
        patientId: n.patientId,
        entity: 'note',
        id: n.id,
        op: 'insert',
        payload: storedRow(clinicalNotes, row),
      });
      return n;
    });
  }

  /** Signs a draft; the caller has already re-authenticated the signer. */
  sign(id: string, expectedVersion: number, actor: Actor): Note {
    const cur = this.load(id);
    if (cur.status !== 'draft') throw new CairnFailure('conflict', `this note is already ${cur.status.replace(/_/g, ' ')}`);
    if (cur.version !== expectedVersion) throw new CairnFailure('conflict', 'this draft changed since you last saw it; review it before signing');
    this.checkContent(cur.templateId ?? '', JSON.parse(cur.content), true);
    return this.writer.write((at) => {
      const hash = noteHash({ title: cur.title, templateId: cur.templateId, content: JSON.parse(cur.content) });
      const row = this.orm
        .update(clinicalNotes)
        .set({ status: 'signed', signedAt: at, signedBy: actor.userId, contentHash: hash, ...updated(at, actor, cur.version) })
        .where(eq(clinicalNotes.id, id))
        .returning()
        .get();
      const n = this.toNote(row);
      this.writer.record(at, {
        action: 'note.sign',
        actor,
        patientId: n.patientId,
        entity: 'note',
        id,
        op: 'update',
        payload: storedRow(clinicalNotes, row),
        detail: hash,
      });
      return n;
    });
  }

  /** An addendum to a signed note: its own signed row, never an edit of the original. */
  addendum(noteId: string, text: string, actor: Actor): Note {
    const original = this.load(noteId);
    if (original.status !== 'signed') throw new CairnFailure('conflict', 'only a signed note takes addenda; a draft can still be edited');
    return this.writer.write((at) => {
      const content = { text };
      const title = `Addendum to ${original.title}`;
      const row = this.orm
        .insert(clinicalNotes)
        .values({
          id: newId(),
          patientId: original.patientId,
          encounterId: original.encounterId,
          status: 'signed',
          kind: 'addendum',
          templateId: null,
          title,
          content: JSON.stringify(content),
          authorId: actor.userId,
          signedAt: at,
          signedBy: actor.userId,
          contentHash: noteHash({ title, templateId: null, content }),
          amendsNoteId: original.id,
          ...created(at, actor),
        })
        .returning()
        .get();
      const n = this.toNote(row);
      this.writer.record(at, {
        action: 'note.addendum',
        actor,
        patientId: n.patientId,
        entity: 'note',
        id: n.id,
        op: 'insert',
        payload: storedRow(clinicalNotes, row),
        detail: original.id,
      });
      return n;
    });
  }

  enteredInError(id: string, reason: string, actor: Actor): Note {
    return this.writer.write((at) => {
      const cur = this.load(id);
      if (cur.status === 'entered_in_error') throw new CairnFailure('conflict', 'this note is already marked entered in error');
      const row = this.orm
        .update(clinicalNotes)
        .set({ status: 'entered_in_error', errorReason: reason, ...updated(at, actor, cur.version) })
        .where(eq(clinicalNotes.id, id))
        .returning()
        .get();
      const n = this.toNote(row);
      this.writer.record(at, {
        action: 'note.entered_in_error',
        actor,
        patientId: n.patientId,
        entity: 'note',
        id,
        op: 'update',
        payload: storedRow(clinicalNotes, row),
        detail: reason,
      });
      return n;
    });
  }

  get(id: string): Note {
    return this.toNote(this.load(id));
  }

  /** All notes of a patient (or of one encounter), oldest first; addenda carry amendsNoteId. */
  list(filter: { patientId: string; encounterId?: string }): Note[] {
    const where = filter.encounterId
      ? and(eq(clinicalNotes.patientId, filter.patientId), eq(clinicalNotes.encounterId, filter.encounterId))
      : eq(clinicalNotes.patientId, filter.patientId);
    return this.orm
      .select()
      .from(clinicalNotes)
      .where(where)
      .orderBy(asc(clinicalNotes.createdAt))
      .all()
      .map((r) => this.toNote(r));
  }

  /** The latest notes and addenda for the face sheet (one indexed query, no content parsing). */
  recent(patientId: string, limit: number): { id: string; title: string; status: string; kind: string; author: string | null; at: string }[] {
    return this.orm
      .select({
        id: clinicalNotes.id,
        title: clinicalNotes.title,
        status: clinicalNotes.status,
        kind: clinicalNotes.kind,
        author: users.displayName,
        at: clinicalNotes.updatedAt,
      })
      .from(clinicalNotes)
      .leftJoin(users, eq(users.id, clinicalNotes.authorId))
      .where(eq(clinicalNotes.patientId, patientId))
      .orderBy(desc(clinicalNotes.createdAt))
      .limit(limit)
      .all();
  }

  /** True when a signed note still matches the hash stored when it was signed. */
  verify(n: Note): boolean {
    return n.contentHash !== null && n.contentHash === noteHash(n);
  }
}
