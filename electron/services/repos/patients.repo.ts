import { eq, getTableColumns } from 'drizzle-orm';
import type { ChartRow } from '../../../shared/api/channel';
import { newId } from '../../common/ids';
import {
  deceasedRefusal,
  type IdentityKey,
  type Patient,
  type PatientInput,
  type PatientSummary,
  type PatientUpdate,
  type SearchHit,
} from '../../../shared/domain/patient';
import { classifySearch } from '../../../shared/domain/search';
import { CairnFailure } from '../../../shared/api/result';
import type Database from 'better-sqlite3';
import type { Store } from '../db/open';
import { patients } from '../db/schema';
import type { AuditRepo } from './audit.repo';
import { MrnAllocator } from './mrn';
import { storedRow } from './stored-row';
import type { Actor, ClinicalWriter } from './writer';

type Row = typeof patients.$inferSelect;
type Insert = typeof patients.$inferInsert;
type RawRow = Record<string, string | number | null>;
/** A search candidate with its restricted flag as SQLite stores it (0/1). */
type Candidate = PatientSummary & { restricted: number };
export type { Actor } from './writer';

const COLUMNS = Object.entries(getTableColumns(patients));

/** A raw snake_case row (from a prepared statement) as drizzle's camelCase row. */
function fromRaw(raw: RawRow): Row {
  const out: Record<string, unknown> = Object.fromEntries(COLUMNS.map(([key, col]) => [key, raw[col.name]]));
  out['restricted'] = Boolean(out['restricted']);
  return out as Row;
}

/** Named parameters for the prepared insert: every column but row_id, null when absent. */
function toRaw(row: Insert): Record<string, unknown> {
  const values = row as Record<string, unknown>;
  return Object.fromEntries(
    COLUMNS.filter(([, col]) => col.name !== 'row_id').map(([key, col]) => {
      const v = values[key];
      return [col.name, typeof v === 'boolean' ? Number(v) : (v ?? (col.hasDefault ? defaultOf(col.name) : null))];
    }),
  );
}

function defaultOf(name: string): unknown {
  return name === 'identifiers' ? '[]' : name === 'restricted' ? 0 : name === 'version' ? 1 : null;
}

function toPatient(r: Row): Patient {
  return {
    id: r.id,
    mrn: r.mrn,
    givenName: r.givenName,
    middleName: r.middleName,
    familyName: r.familyName,
    preferredName: r.preferredName,
    birthDate: r.birthDate,
    sex: r.sex,
    genderIdentity: r.genderIdentity,
    phone: r.phone,
    email: r.email,
    address: {
      line1: r.addressLine1 ?? undefined,
      line2: r.addressLine2 ?? undefined,
      city: r.city ?? undefined,
      state: r.state ?? undefined,
      postalCode: r.postalCode ?? undefined,
      country: r.country ?? undefined,
    },
    identifiers: JSON.parse(r.identifiers) as Patient['identifiers'],
    preferredLanguage: r.preferredLanguage,
    insurance: {
      payer: r.insurancePayer ?? undefined,
      memberId: r.insuranceMemberId ?? undefined,
      groupNumber: r.insuranceGroup ?? undefined,
    },
    emergencyContact: {
      name: r.emergencyContactName ?? undefined,
      relationship: r.emergencyContactRelationship ?? undefined,
      phone: r.emergencyContactPhone ?? undefined,
    },
    guarantor: {
      relationship: r.guarantorRelationship ?? undefined,
      name: r.guarantorName ?? undefined,
      phone: r.guarantorPhone ?? undefined,
      address: r.guarantorAddress ?? undefined,
    },
    deceasedOn: r.deceasedOn,
    restricted: r.restricted,
    version: r.version,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  };
}

/** Maps the validated input onto columns; `undefined` fields are left alone on update. */
function toColumns(p: Partial<PatientInput>): Partial<Insert> {
  const c: Partial<Insert> = {};
  if (p.givenName !== undefined) c.givenName = p.givenName;
  if ('middleName' in p) c.middleName = p.middleName ?? null;
  if (p.familyName !== undefined) c.familyName = p.familyName;
  if ('preferredName' in p) c.preferredName = p.preferredName ?? null;
  if (p.birthDate !== undefined) c.birthDate = p.birthDate;
  if (p.sex !== undefined) c.sex = p.sex;
  if ('genderIdentity' in p) c.genderIdentity = p.genderIdentity ?? null;
  if ('phone' in p) {
    c.phone = p.phone ?? null;
    c.phoneDigits = p.phone ? p.phone.replace(/\D/g, '') : null;
  }
  if ('email' in p) c.email = p.email ?? null;
  if (p.address !== undefined) {
    c.addressLine1 = p.address.line1 ?? null;
    c.addressLine2 = p.address.line2 ?? null;
    c.city = p.address.city ?? null;
    c.state = p.address.state ?? null;
    c.postalCode = p.address.postalCode ?? null;
    c.country = p.address.country ?? null;
  }
  if (p.identifiers !== undefined) c.identifiers = JSON.stringify(p.identifiers);
  if ('preferredLanguage' in p) c.preferredLanguage = p.preferredLanguage ?? null;
  if (p.insurance !== undefined) {
    c.insurancePayer = p.insurance.payer ?? null;
    c.insuranceMemberId = p.insurance.memberId ?? null;
    c.insuranceGroup = p.insurance.groupNumber ?? null;
  }
  if (p.emergencyContact !== undefined) {
    c.emergencyContactName = p.emergencyContact.name ?? null;
    c.emergencyContactRelationship = p.emergencyContact.relationship ?? null;
    c.emergencyContactPhone = p.emergencyContact.phone ?? null;
  }
  if (p.guarantor !== undefined) {
    // The patient as their own guarantor needs (and keeps) no one else's details.
    const self = p.guarantor.relationship?.toLowerCase() === 'self';
    c.guarantorRelationship = self ? 'self' : (p.guarantor.relationship ?? null);
    c.guarantorName = self ? null : (p.guarantor.name ?? null);
    c.guarantorPhone = self ? null : (p.guarantor.phone ?? null);
    c.guarantorAddress = self ? null : (p.guarantor.address ?? null);
  }
  if ('deceasedOn' in p) c.deceasedOn = p.deceasedOn ?? null;
  return c;
}

/** A search candidate as a hit: a restricted chart by its name only. */
function toHit({ restricted, ...p }: Candidate): SearchHit {
  return restricted ? { id: p.id, givenName: p.givenName, middleName: p.middleName, familyName: p.familyName, restricted: true } : { ...p, restricted: false };
}

/** Rows that belong to one patient's chart, by the id a channel takes (for the restricted-chart guard). */
const OWNER_SQL: Record<ChartRow, string> = {
  encounter: 'SELECT patient_id AS patientId FROM encounters WHERE id = ?',
  note: 'SELECT patient_id AS patientId FROM clinical_notes WHERE id = ?',
  problem: 'SELECT patient_id AS patientId FROM conditions WHERE id = ?',
  allergy: 'SELECT patient_id AS patientId FROM allergies WHERE id = ?',
  prescription: 'SELECT patient_id AS patientId FROM prescriptions WHERE id = ?',
  medication_course: 'SELECT patient_id AS patientId FROM medication_events WHERE course_id = ? LIMIT 1',
  sync_conflict: 'SELECT patient_id AS patientId FROM sync_conflicts WHERE id = ?',
  lab_order: 'SELECT patient_id AS patientId FROM lab_orders WHERE id = ?',
  observation: 'SELECT patient_id AS patientId FROM observations WHERE id = ?',
  claim: 'SELECT patient_id AS patientId FROM claims WHERE id = ?',
  coverage: 'SELECT patient_id AS patientId FROM coverages WHERE id = ?',
  portal_invite: 'SELECT patient_id AS patientId FROM portal_invites WHERE id = ?',
  portal_thread: 'SELECT patient_id AS patientId FROM portal_threads WHERE id = ?',
  portal_message: 'SELECT patient_id AS patientId FROM portal_messages WHERE id = ?',
  patient_reported_item: 'SELECT patient_id AS patientId FROM patient_reported_items WHERE id = ?',
  document: 'SELECT patient_id AS patientId FROM documents WHERE id = ?',
  reconcile_item: 'SELECT patient_id AS patientId FROM reconcile_items WHERE id = ?',
  ccda_import: 'SELECT patient_id AS patientId FROM ccda_imports WHERE id = ?',
  referral: 'SELECT patient_id AS patientId FROM referrals WHERE id = ?',
  care_event: 'SELECT patient_id AS patientId FROM care_events WHERE id = ?',
};

const SUMMARY_COLUMNS = `p.id, p.mrn, p.given_name AS givenName, p.middle_name AS middleName, p.family_name AS familyName,
  p.preferred_name AS preferredName, p.birth_date AS birthDate, p.sex, p.phone, p.deceased_on AS deceasedOn, p.restricted`;

/** FTS5 query text: each term quoted (so no operator injection) and prefix-matched. */
function ftsPrefixQuery(column: string, terms: string[]): string {
  return terms.map((t) => `${column}:"${t.replace(/"/g, '""')}"*`).join(' AND ');
}

/**
 * Patients: every write goes through the ClinicalWriter (row, audit entry and outbox entry in one
 * transaction). Reads and searches are audited here directly: they change no synced row.
 */
export class PatientsRepo {
  private readonly byFts;
  private readonly byBirthDate;
  private readonly byMrn;
  private readonly insertRow;
  private readonly byId;
  private readonly restrictedById;
  private readonly byIdentity;
  private readonly deceasedById;
  private readonly owners = new Map<ChartRow, Database.Statement<[string], { patientId: string }>>();
  private readonly mrns: MrnAllocator;

  constructor(
    private readonly store: Store,
    private readonly writer: ClinicalWriter,
    private readonly audit: AuditRepo,
  ) {
    const db = store.sqlite;
    // Important: no bm25 ranking and a bounded candidate set. A 3-letter prefix can match
    // thousands of charts; scoring and sorting all of them cost 30+ ms at 100k patients.
    // People narrow by typing more; the list shows the first candidates in name order.
    this.byFts = db.prepare<[string, number], Candidate>(
      `SELECT ${SUMMARY_COLUMNS} FROM patients p
       WHERE p.row_id IN (SELECT rowid FROM patient_search WHERE patient_search MATCH ? LIMIT 200)
         AND p.deleted_at IS NULL AND p.merged_into IS NULL
       ORDER BY p.family_name, p.given_name LIMIT ?`,
    );
    this.byBirthDate = db.prepare<[string, number], Candidate>(
      `SELECT ${SUMMARY_COLUMNS} FROM patients p WHERE p.birth_date = ? AND p.deleted_at IS NULL AND p.merged_into IS NULL
       ORDER BY p.family_name, p.given_name LIMIT ?`,
    );
    // A merged chart is not listed: its survivor is (the chart itself stays whole, and unmerging lists it again).
    this.byMrn = db.prepare<[string], Candidate>(
      `SELECT ${SUMMARY_COLUMNS} FROM patients p WHERE p.mrn = ? AND p.deleted_at IS NULL AND p.merged_into IS NULL`,
    );
    // Prepared once: drizzle's query builder costs more than the insert itself on this hot path.
    const insertable = COLUMNS.map(([, c]) => c).filter((c) => c.name !== 'row_id');
    this.insertRow = db.prepare<[Record<string, unknown>], RawRow>(
      `INSERT INTO patients (${insertable.map((c) => c.name).join(', ')}) VALUES (${insertable.map((c) => `@${c.name}`).join(', ')}) RETURNING *`,
    );
    this.byId = db.prepare<[string], RawRow>(`SELECT * FROM patients WHERE id = ?`);
    this.restrictedById = db.prepare<[string], { restricted: number }>(`SELECT restricted FROM patients WHERE id = ? AND deleted_at IS NULL`);
    // Uses the birth-date index: few charts share a birth date, so the names are compared on those.
    this.byIdentity = db.prepare<[string, string, string, string], Candidate>(
      `SELECT ${SUMMARY_COLUMNS} FROM patients p WHERE p.birth_date = ? AND p.sex = ? AND lower(p.family_name) = lower(?) AND lower(p.given_name) = lower(?)
         AND p.deleted_at IS NULL AND p.merged_into IS NULL ORDER BY p.mrn`,
    );
    this.deceasedById = db.prepare<[string], { deceasedOn: string | null }>(
      `SELECT deceased_on AS deceasedOn FROM patients WHERE id = ? AND deleted_at IS NULL`,
    );
    this.mrns = new MrnAllocator(db);
  }

  private rowById(id: string): Row | undefined {
    const raw = this.byId.get(id);
    return raw ? fromRaw(raw) : undefined;
  }

  /**
   * Registers a patient. With `refuseDuplicates` (a person at the registration form), a chart with
   * the same family name, given name, birth date and sex is refused as a `possible_duplicate`
   * unless the input confirms it; imports and lab messages match patients their own way.
   */
  create(input: PatientInput, actor: Actor, opts: { refuseDuplicates?: boolean } = {}): Patient {
    return this.writer.write((at) => {
      const twins = opts.refuseDuplicates ? this.duplicatesOf(input) : [];
      if (twins.length > 0 && !input.confirmDuplicate) {
        const which = twins.map((t) => (t.restricted ? 'a restricted chart' : `MRN ${t.mrn}`)).join(', ');
        throw new CairnFailure(
          'possible_duplicate',
          `${input.familyName}, ${input.givenName} (born ${input.birthDate}, ${input.sex}) may already have a chart here (${which}): open it instead, or register anyway if this is another person`,
          [{ path: 'confirmDuplicate', message: `same name, birth date and sex as ${which}` }],
        );
      }
      let mrn = input.mrn;
      if (mrn) {
        if (this.mrns.isTaken(mrn)) {
          throw new CairnFailure('conflict', `MRN ${mrn} already belongs to another patient`, [{ path: 'mrn', message: 'this MRN is taken' }]);
        }
      } else {
        mrn = this.mrns.next();
      }
      const id = newId();
      const written = this.insertRow.get(
        toRaw({ ...(toColumns(input) as Insert), id, mrn, createdAt: at, createdBy: actor.userId, updatedAt: at, updatedBy: actor.userId, version: 1 }),
      )!;
      const result = toPatient(fromRaw(written));
      // A registration made despite the warning says so, for whoever later merges the charts.
      const detail = twins.length > 0 ? `registered despite possible duplicate of ${twins.map((t) => t.id).join(',')}` : undefined;
      this.writer.record(at, {
        action: 'patient.create',
        actor,
        patientId: id,
        entity: 'patient',
        id,
        op: 'insert',
        payload: written,
        ...(detail && { detail }),
      });
      return result;
    });
  }

  update(input: PatientUpdate, actor: Actor): Patient {
    const { orm } = this.store;
    return this.writer.write((at) => {
      const current = orm.select().from(patients).where(eq(patients.id, input.id)).get();
      if (!current || current.deletedAt) throw new CairnFailure('not_found', `no patient with id ${input.id}`);
      if (current.version !== input.expectedVersion) {
        // Important: never overwrite a change the editor has not seen.
        throw new CairnFailure('conflict', `this chart was changed at ${current.updatedAt} after you opened it; reload to see that change, then edit again`);
      }
      const { id, expectedVersion, mrn, ...fields } = input;
      void expectedVersion;
      const cols = toColumns(fields);
      // The form checks death after birth when it sends both; an edit of one is checked against the stored other.
      const born = cols.birthDate ?? current.birthDate;
      const died = cols.deceasedOn === undefined ? current.deceasedOn : cols.deceasedOn;
      if (died && died < born) {
        const path = cols.deceasedOn !== undefined ? 'deceasedOn' : 'birthDate';
        throw new CairnFailure('invalid_input', `date of death ${died} is before the birth date ${born}`, [
          { path, message: `date of death ${died} is before the birth date ${born}` },
        ]);
      }
      if (mrn !== undefined && mrn !== current.mrn) {
        if (this.mrns.isTaken(mrn)) {
          throw new CairnFailure('conflict', `MRN ${mrn} already belongs to another patient`, [{ path: 'mrn', message: 'this MRN is taken' }]);
        }
        cols.mrn = mrn;
      }
      const updated = orm
        .update(patients)
        .set({ ...cols, updatedAt: at, updatedBy: actor.userId, version: current.version + 1 })
        .where(eq(patients.id, id))
        .returning()
        .get();
      this.writer.record(at, {
        action: 'patient.update',
        actor,
        patientId: id,
        entity: 'patient',
        id,
        op: 'update',
        payload: storedRow(patients, updated),
        detail: Object.keys(cols).join(','),
      });
      return toPatient(updated);
    });
  }

  /** Whose chart a row belongs to; undefined when there is no such row (the handler then says not found). */
  ownerOf(row: ChartRow, id: string): string | undefined {
    let stmt = this.owners.get(row);
    if (!stmt) this.owners.set(row, (stmt = this.store.sqlite.prepare<[string], { patientId: string }>(OWNER_SQL[row])));
    return stmt.get(id)?.patientId;
  }

  /**
   * Charts with the same family name, given name (case aside), birth date and sex: a new
   * registration like that is probably a second chart for one person. Restricted ones by name only.
   */
  duplicatesOf(key: IdentityKey): SearchHit[] {
    return this.byIdentity.all(key.birthDate, key.sex, key.familyName.trim(), key.givenName.trim()).map(toHit);
  }

  /** Refuses an act that needs a living patient (a visit, a booking, a prescription), before anything is written. */
  requireLiving(id: string, act: string): void {
    const row = this.deceasedById.get(id);
    if (!row) throw new CairnFailure('not_found', `no patient with id ${id}`);
    const refusal = deceasedRefusal(row, act);
    if (refusal) throw new CairnFailure('conflict', refusal);
  }

  /** Whether the chart is restricted (break-glass to open); undefined when there is no such patient. */
  isRestricted(id: string): boolean | undefined {
    const row = this.restrictedById.get(id);
    return row ? row.restricted === 1 : undefined;
  }

  /** Marks or unmarks a chart restricted: audited, versioned and synced like any demographic change. */
  setRestricted(id: string, restricted: boolean, actor: Actor): Patient {
    const { orm } = this.store;
    return this.writer.write((at) => {
      const current = orm.select().from(patients).where(eq(patients.id, id)).get();
      if (!current || current.deletedAt) throw new CairnFailure('not_found', `no patient with id ${id}`);
      if (current.restricted === restricted) return toPatient(current);
      const row = orm
        .update(patients)
        .set({ restricted, updatedAt: at, updatedBy: actor.userId, version: current.version + 1 })
        .where(eq(patients.id, id))
        .returning()
        .get();
      this.writer.record(at, {
        action: restricted ? 'patient.restrict' : 'patient.unrestrict',
        actor,
        patientId: id,
        entity: 'patient',
        id,
        op: 'update',
        payload: storedRow(patients, row),
      });
      return toPatient(row);
    });
  }

  /** Reads one chart without an audit entry: for services whose caller already audited the read. */
  peek(id: string): Patient {
    const row = this.rowById(id);
    if (!row || row.deletedAt) throw new CairnFailure('not_found', `no patient with id ${id}`);
    return toPatient(row);
  }

  /** Reads one chart and records who opened it. */
  get(id: string, actor: Actor, action = 'patient.read'): Patient {
    return this.store.sqlite
      .transaction(() => {
        const row = this.rowById(id);
        if (!row || row.deletedAt) throw new CairnFailure('not_found', `no patient with id ${id}`);
        this.audit.append({ action, userId: actor.userId, patientId: id, recordType: 'patient', recordId: id }, this.writer.now().toISOString());
        return toPatient(row);
      })
      .immediate();
  }

  /** Finds patients without recording an audit entry (the caller audits); `restricted` is 0 or 1. */
  find(query: string, limit: number): Candidate[] {
    const q = classifySearch(query);
    if (q.kind === 'empty') return [];
    if (q.kind === 'birthDate') return this.byBirthDate.all(q.date, limit);
    // An exact MRN, as typed or upper-cased, always comes first.
    const typed = query.trim();
    const exact = this.byMrn.get(typed) ?? this.byMrn.get(typed.toUpperCase());
    let hits: Candidate[];
    if (q.kind === 'digits') {
      hits = this.byFts.all(`{ids phones}: "${q.digits}"*`, limit);
    } else {
      hits = this.byFts.all(ftsPrefixQuery('names', q.terms), limit);
      // No name matched: the words may be an identifier such as "A-1001" or "LEG778899".
      if (hits.length === 0) hits = this.byFts.all(ftsPrefixQuery('ids', q.terms), limit);
    }
    return exact ? [exact, ...hits.filter((p) => p.id !== exact.id)].slice(0, limit) : hits;
  }

  /** Search as a person does it: the search itself is recorded in the audit log. */
  search(query: string, limit: number, actor: Actor): SearchHit[] {
    // Important: a restricted chart is listed by name only; its details need break-glass.
    const found = this.find(query, limit).map(toHit);
    this.store.sqlite
      .transaction(() => {
        this.audit.append(
          { action: 'patient.search', userId: actor.userId, recordType: 'patient', detail: JSON.stringify({ query, results: found.length }) },
          this.writer.now().toISOString(),
        );
      })
      .immediate();
    return found;
  }
}
