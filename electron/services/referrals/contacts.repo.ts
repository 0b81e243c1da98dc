import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import type { contactAdd, contactsQuery, contactUpdate, ReferralContact } from '../../../shared/domain/referrals';
import { newId } from '../../common/ids';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Actor } from '../repos/writer';

/** A referral_contacts row as read (snake_case). */
export interface ContactRow {
  id: string;
  name: string;
  organization: string | null;
  specialty: string;
  npi: string | null;
  phone: string | null;
  fax: string | null;
  email: string | null;
  direct_address: string | null;
  address: string | null;
  note: string | null;
  deleted_at: string | null;
  version: number;
}

export function toContact(r: ContactRow): ReferralContact {
  return {
    id: r.id,
    name: r.name,
    organization: r.organization,
    specialty: r.specialty,
    npi: r.npi,
    phone: r.phone,
    fax: r.fax,
    email: r.email,
    directAddress: r.direct_address,
    address: r.address,
    note: r.note,
    removed: r.deleted_at !== null,
    version: r.version,
  };
}

const FIELDS = {
  name: 'name',
  organization: 'organization',
  specialty: 'specialty',
  npi: 'npi',
  phone: 'phone',
  fax: 'fax',
  email: 'email',
  directAddress: 'direct_address',
  address: 'address',
  note: 'note',
} as const;

/** Words a person types, made safe for LIKE (the % and _ they type are meant literally). */
const like = (s: string): string => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The clinic's address book of specialists and facilities. Not chart data (no patient), but it
 * syncs, so every change is written through the ClinicalWriter like any other row.
 */
export class ContactsRepo {
  constructor(private readonly repos: Repos) {}

  private get sqlite(): Repos['store']['sqlite'] {
    return this.repos.store.sqlite;
  }

  /** The entry (removed ones too, as the referrals naming them still show them), or null. */
  find(id: string): ReferralContact | null {
    const r = this.sqlite.prepare<[string], ContactRow>('SELECT * FROM referral_contacts WHERE id = ?').get(id);
    return r ? toContact(r) : null;
  }

  require(id: string, path = 'id'): ReferralContact {
    const c = this.find(id);
    if (!c || c.removed)
      throw new CairnFailure('not_found', 'no such entry in the address book (it may have been removed)', [{ path, message: 'not in the address book' }]);
    return c;
  }

  list(q: z.output<typeof contactsQuery>): ReferralContact[] {
    const where: string[] = [];
    const args: Record<string, string | number> = { limit: q.limit };
    if (!q.includeRemoved) where.push('deleted_at IS NULL');
    (q.query ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .forEach((w, i) => {
        where.push(`(lower(name) LIKE @w${i} ESCAPE '\\' OR lower(coalesce(organization, '')) LIKE @w${i} ESCAPE '\\')`);
        args[`w${i}`] = like(w);
      });
    if (q.specialty) {
      where.push(`lower(specialty) LIKE @specialty ESCAPE '\\'`);
      args['specialty'] = like(q.specialty);
    }
    const sql = `SELECT * FROM referral_contacts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY lower(specialty), lower(name) LIMIT @limit`;
    return this.sqlite.prepare<[Record<string, string | number>], ContactRow>(sql).all(args).map(toContact);
  }

  add(input: z.output<typeof contactAdd>, actor: Actor): ReferralContact {
    return this.repos.writer.write((at) => {
      this.refuseDuplicate(input.name, input.specialty, input.npi ?? null, null);
      const id = newId();
      const row = this.sqlite
        .prepare(
          `INSERT INTO referral_contacts (id, created_at, created_by, updated_at, updated_by, version, name, organization, specialty, npi, phone, fax, email, direct_address, address, note)
           VALUES (@id, @at, @by, @at, @by, 1, @name, @organization, @specialty, @npi, @phone, @fax, @email, @directAddress, @address, @note) RETURNING *`,
        )
        .get({
          id,
          at,
          by: actor.userId,
          name: input.name,
          organization: input.organization ?? null,
          specialty: input.specialty,
          npi: input.npi ?? null,
          phone: input.phone ?? null,
          fax: input.fax ?? null,
          email: input.email ?? null,
          directAddress: input.directAddress ?? null,
          address: input.address ?? null,
          note: input.note ?? null,
        }) as StoredRow;
      this.repos.writer.record(at, {
        action: 'referral_contact.add',
        actor,
        patientId: null,
        entity: 'referral_contact',
        id,
        op: 'insert',
        payload: row,
        detail: input.specialty,
      });
      return toContact(row as unknown as ContactRow);
    });
  }

  update(input: z.output<typeof contactUpdate>, actor: Actor): ReferralContact {
    return this.repos.writer.write((at) => {
      const current = this.require(input.id);
      if (current.version !== input.expectedVersion) {
        throw new CairnFailure('conflict', 'someone changed this entry since you opened it: open it again and make your change there');
      }
      const sets: string[] = [];
      const args: Record<string, string | number | null> = { id: input.id, at, by: actor.userId, version: current.version + 1 };
      for (const [key, column] of Object.entries(FIELDS) as [keyof typeof FIELDS, string][]) {
        const v = input[key];
        if (v === undefined) continue;
        sets.push(`${column} = @${key}`);
        args[key] = v;
      }
      if (sets.length === 0) throw new CairnFailure('invalid_input', 'nothing to change: give at least one field');
      const name = (args['name'] as string | undefined) ?? current.name;
      const specialty = (args['specialty'] as string | undefined) ?? current.specialty;
      const npi = 'npi' in args ? (args['npi'] as string | null) : current.npi;
      this.refuseDuplicate(name, specialty, npi, input.id);
      const row = this.sqlite
        .prepare(`UPDATE referral_contacts SET ${sets.join(', ')}, updated_at = @at, updated_by = @by, version = @version WHERE id = @id RETURNING *`)
        .get(args) as StoredRow;
      this.repos.writer.record(at, {
        action: 'referral_contact.update',
        actor,
        patientId: null,
        entity: 'referral_contact',
        id: input.id,
        op: 'update',
        payload: row,
        detail: sets.map((s) => s.split(' ')[0]).join(','),
      });
      return toContact(row as unknown as ContactRow);
    });
  }

  /** Soft removal: referrals that name the entry keep showing it. */
  remove(id: string, actor: Actor): ReferralContact {
    return this.repos.writer.write((at) => {
      const current = this.require(id);
      const row = this.sqlite
        .prepare(
          `UPDATE referral_contacts SET deleted_at = @at, deleted_by = @by, updated_at = @at, updated_by = @by, version = version + 1 WHERE id = @id RETURNING *`,
        )
        .get({ id, at, by: actor.userId }) as StoredRow;
      this.repos.writer.record(at, {
        action: 'referral_contact.remove',
        actor,
        patientId: null,
        entity: 'referral_contact',
        id,
        op: 'update',
        payload: row,
        detail: current.name,
      });
      return toContact(row as unknown as ContactRow);
    });
  }

  /** The same person twice in the book (same NPI, or same name and specialty) is refused: edit the one there. */
  private refuseDuplicate(name: string, specialty: string, npi: string | null, exceptId: string | null): void {
    const dup = this.sqlite
      .prepare<[Record<string, string | null>], { name: string; specialty: string }>(
        `SELECT name, specialty FROM referral_contacts WHERE deleted_at IS NULL AND (@except IS NULL OR id <> @except)
           AND ((@npi IS NOT NULL AND npi = @npi) OR (lower(name) = lower(@name) AND lower(specialty) = lower(@specialty))) LIMIT 1`,
      )
      .get({ except: exceptId, npi, name, specialty });
    if (dup) throw new CairnFailure('conflict', `${dup.name} (${dup.specialty}) is already in the address book: change that entry instead`);
  }
}
