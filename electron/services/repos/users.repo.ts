import { and, eq, isNull, ne } from 'drizzle-orm';
import { newId } from '../../common/ids';
import { CairnFailure } from '../../../shared/api/result';
import type { Role, User } from '../../../shared/domain/user';
import { PRESCRIBER_ROLES } from '../../../shared/domain/prescriber';
import { hashPassword, verifyPassword } from '../../common/password';
import { assertPasswordAllowed } from '../auth/password-policy';
import type { Resources } from '../resources/resources';
import type { Store } from '../db/open';
import { users } from '../db/schema';
import type { AuditRepo } from './audit.repo';
import { storedRow } from './stored-row';
import type { OutboxOp } from './outbox.repo';
import type { Actor, ClinicalWriter } from './writer';

/** After this many failures in a row the account waits, 30 s doubling each time, at most an hour. */
const FREE_ATTEMPTS = 5;
export function lockoutSeconds(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(3600, 30 * 2 ** (failures - FREE_ATTEMPTS));
}

/** A user as the Users screen lists them. */
export type UserListing = User & { disabled: boolean; npi: string | null; dea: string | null };

function notPrescriber(username: string): CairnFailure {
  return new CairnFailure('invalid_input', `${username} is not a physician: an NPI and a DEA number are recorded for physicians (who prescribe) only`, [
    { path: 'npi', message: 'physicians only' },
  ]);
}

/**
 * Accounts. Users sync to the clinic server like any record (password hashes included, lockout
 * counters not), so every change to an account goes through the ClinicalWriter (row, audit entry
 * and outbox entry in one transaction). Sign-in attempts and lockout counters change no synced
 * column: they are audited here directly.
 */
export class UsersRepo {
  constructor(
    private readonly store: Store,
    private readonly writer: ClinicalWriter,
    private readonly audit: AuditRepo,
    /** The session's data files (the breached-password list is read once per session). */
    private readonly resources: Resources,
  ) {}

  /** An account change's audit entry and outbox entry (the row as written), in the writer's transaction. */
  private recordUser(at: string, action: string, actor: Actor, op: OutboxOp, written: typeof users.$inferSelect, detail: string): void {
    this.writer.record(at, { action, actor, patientId: null, entity: 'user', id: written.id, op, payload: storedRow(users, written), detail });
  }

  private now(): Date {
    return this.writer.now();
  }

  count(): number {
    return (this.store.sqlite.prepare('SELECT count(*) AS n FROM users WHERE deleted_at IS NULL').get() as { n: number }).n;
  }

  private clinicName(): string | undefined {
    return (this.store.sqlite.prepare(`SELECT value FROM meta WHERE key = 'clinic_name'`).get() as { value: string } | undefined)?.value;
  }

  async create(
    p: { username: string; displayName: string; role: Role; password: string; npi?: string | null; dea?: string | null },
    actorId: string | null,
  ): Promise<User> {
    // The full policy (the breached list and the clinic's name are only known here), whoever calls.
    assertPasswordAllowed(p.password, { username: p.username, displayName: p.displayName, clinicName: this.clinicName() }, this.resources);
    const hash = await hashPassword(p.password);
    const { orm } = this.store;
    return this.writer.write((at) => {
      if (orm.select({ id: users.id }).from(users).where(eq(users.username, p.username)).get()) {
        throw new CairnFailure('conflict', `user name "${p.username}" is taken`, [{ path: 'username', message: 'taken' }]);
      }
      const id = newId();
      const by = actorId ?? id;
      if ((p.npi || p.dea) && !PRESCRIBER_ROLES.includes(p.role)) throw notPrescriber(p.username);
      const row = orm
        .insert(users)
        .values({
          id,
          username: p.username,
          displayName: p.displayName,
          role: p.role,
          passwordHash: hash,
          npi: p.npi ?? null,
          dea: p.dea ?? null,
          createdAt: at,
          createdBy: by,
          updatedAt: at,
          updatedBy: by,
        })
        .returning()
        .get();
      this.writer.record(at, {
        action: 'user.create',
        actor: { userId: by },
        patientId: null,
        entity: 'user',
        id,
        op: 'insert',
        payload: storedRow(users, row),
        detail: p.role,
      });
      return { id, username: p.username, displayName: p.displayName, role: p.role };
    });
  }

  /** Re-authentication before signing: the signed-in user's own password, audited when wrong. */
  async reauthenticate(userId: string, password: string, purpose: string): Promise<void> {
    const row = this.store.orm.select().from(users).where(eq(users.id, userId)).get();
    if (!row || row.disabled || !(await verifyPassword(password, row.passwordHash))) {
      this.store.sqlite.transaction(() => this.audit.append({ action: 'session.reauth_failed', userId, detail: purpose }, this.now().toISOString()))();
      throw new CairnFailure('bad_credentials', `that password is not right: ${purpose} was not done`);
    }
  }

  list(): UserListing[] {
    return this.store.orm
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        role: users.role,
        disabled: users.disabled,
        npi: users.npi,
        dea: users.dea,
      })
      .from(users)
      .orderBy(users.displayName)
      .all()
      .map((u) => ({ ...u, role: u.role as Role }));
  }

  /**
   * What a signed-in session re-checks on every call: a disabled account, or a password changed
   * since sign-in (`stamp` differs), ends that session. Undefined when there is no such user.
   */
  credentialState(id: string): { disabled: boolean; stamp: string } | undefined {
    const row = this.store.orm
      .select({ disabled: users.disabled, deletedAt: users.deletedAt, stamp: users.passwordHash })
      .from(users)
      .where(eq(users.id, id))
      .get();
    return row ? { disabled: row.disabled || row.deletedAt !== null, stamp: row.stamp } : undefined;
  }

  private byUsername(username: string): typeof users.$inferSelect {
    const row = this.store.orm
      .select()
      .from(users)
      .where(and(eq(users.username, username), isNull(users.deletedAt)))
      .get();
    if (!row) throw new CairnFailure('not_found', `no user named "${username}"`);
    return row;
  }

  /**
   * Disables or enables an account (audited). An administrator cannot disable themselves, and
   * the last active administrator cannot be disabled: someone must always be able to manage users.
   */
  setDisabled(username: string, disabled: boolean, actorId: string): User & { disabled: boolean } {
    const { orm } = this.store;
    return this.writer.write((at) => {
      const row = this.byUsername(username);
      const result = { id: row.id, username: row.username, displayName: row.displayName, role: row.role as Role, disabled };
      if (row.disabled === disabled) return result;
      if (disabled && row.id === actorId) throw new CairnFailure('conflict', 'you cannot disable your own account: ask another administrator');
      if (disabled && row.role === 'admin') {
        const others = orm
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.role, 'admin'), eq(users.disabled, false), isNull(users.deletedAt), ne(users.id, row.id)))
          .all();
        if (others.length === 0)
          throw new CairnFailure('conflict', `${row.username} is the last active administrator: enable or add another administrator first`);
      }
      const written = orm
        .update(users)
        .set({ disabled, updatedAt: at, updatedBy: actorId, version: row.version + 1 })
        .where(eq(users.id, row.id))
        .returning()
        .get();
      this.recordUser(at, disabled ? 'user.disable' : 'user.enable', { userId: actorId }, 'update', written, row.username);
      return result;
    });
  }

  /**
   * Sets a new password chosen by an administrator (checked against the full password policy),
   * clears any lockout, and ends the user's open sessions on their next call (the stamp changes).
   */
  async resetPassword(username: string, password: string, actorId: string): Promise<User> {
    const target = this.byUsername(username);
    assertPasswordAllowed(password, { username: target.username, displayName: target.displayName, clinicName: this.clinicName() }, this.resources);
    const hash = await hashPassword(password);
    const { orm } = this.store;
    return this.writer.write((at) => {
      const row = this.byUsername(username);
      const written = orm
        .update(users)
        .set({ passwordHash: hash, failedAttempts: 0, lockedUntil: null, updatedAt: at, updatedBy: actorId, version: row.version + 1 })
        .where(eq(users.id, row.id))
        .returning()
        .get();
      const lockout = row.failedAttempts > 0 || row.lockedUntil !== null ? '; lockout cleared' : '';
      this.recordUser(at, 'user.password_reset', { userId: actorId }, 'update', written, `${row.username}${lockout}`);
      return { id: row.id, username: row.username, displayName: row.displayName, role: row.role as Role };
    });
  }

  /**
   * Records or clears a prescriber's NPI and DEA number (validated by the caller's schema; a field
   * left undefined stays as it is). Only physicians prescribe, so only they carry them. Audited
   * with what changed (not the numbers), and synced like every change to an account.
   */
  setPrescriberIds(username: string, ids: { npi?: string | null | undefined; dea?: string | null | undefined }, actorId: string): UserListing {
    const { orm } = this.store;
    return this.writer.write((at) => {
      const row = this.byUsername(username);
      if ((ids.npi || ids.dea) && !PRESCRIBER_ROLES.includes(row.role)) throw notPrescriber(row.username);
      const next = { npi: ids.npi === undefined ? row.npi : ids.npi, dea: ids.dea === undefined ? row.dea : ids.dea };
      const result: UserListing = {
        id: row.id,
        username: row.username,
        displayName: row.displayName,
        role: row.role as Role,
        disabled: row.disabled,
        ...next,
      };
      const changed = (['npi', 'dea'] as const).filter((k) => next[k] !== row[k]);
      if (changed.length === 0) return result;
      const written = orm
        .update(users)
        .set({ ...next, updatedAt: at, updatedBy: actorId, version: row.version + 1 })
        .where(eq(users.id, row.id))
        .returning()
        .get();
      const detail = changed.map((k) => `${k.toUpperCase()} ${next[k] ? 'set' : 'cleared'}`).join('; ');
      this.recordUser(at, 'user.prescriber_ids', { userId: actorId }, 'update', written, `${row.username}: ${detail}`);
      return result;
    });
  }

  /** The NPI and DEA number a prescription prints (null when not recorded, or no such user). */
  prescriberIds(id: string): { npi: string | null; dea: string | null } {
    const row = this.store.orm.select({ npi: users.npi, dea: users.dea }).from(users).where(eq(users.id, id)).get();
    return row ?? { npi: null, dea: null };
  }

  /** Checks a password with lockout; every attempt is audited. */
  async authenticate(username: string, password: string): Promise<User> {
    const { sqlite, orm } = this.store;
    const row = orm.select().from(users).where(eq(users.username, username)).get();
    const now = this.now();
    const refuse = (detail: string): never => {
      sqlite.transaction(() =>
        this.audit.append({ action: 'session.login_failed', userId: row?.id ?? null, detail: `${username}: ${detail}` }, now.toISOString()),
      )();
      throw new CairnFailure('bad_credentials', 'user name or password is not right');
    };
    if (!row || row.deletedAt) {
      // Spend the same time as a real check so user names cannot be probed by timing.
      await hashPassword(password);
      return refuse('unknown user');
    }
    // Important: the attempt is counted as a failure before the password is checked (one statement,
    // before any await), so parallel guesses cannot all read the same count; a right password clears it.
    const wait = this.charge(row.id, now);
    if (wait > 0) {
      sqlite.transaction(() => this.audit.append({ action: 'session.login_locked', userId: row.id }, now.toISOString()))();
      throw new CairnFailure('bad_credentials', `too many failed sign-ins: try again in ${wait} seconds`);
    }
    const right = await verifyPassword(password, row.passwordHash);
    if (row.disabled) {
      // Important: say "disabled" only to someone who knows the password, so guessing learns nothing.
      if (!right) return refuse('disabled, wrong password');
      this.clearFailures(row.id);
      sqlite.transaction(() => this.audit.append({ action: 'session.login_failed', userId: row.id, detail: `${username}: disabled` }, now.toISOString()))();
      throw new CairnFailure('account_disabled', 'this account is disabled: ask an administrator to enable it');
    }
    if (!right) {
      const failures = (sqlite.prepare('SELECT failed_attempts AS n FROM users WHERE id = ?').get(row.id) as { n: number }).n;
      return refuse(`wrong password (${failures} in a row)`);
    }
    return this.signedIn(row.id, now);
  }

  /**
   * Counts one attempt in a single UPDATE … RETURNING: when the account is still locked nothing is
   * counted and the wait in seconds comes back; otherwise the failure count goes up by one (and the
   * lock is set when this attempt reaches the limit) and 0 comes back.
   */
  private charge(id: string, now: Date): number {
    const at = now.toISOString();
    const locked = this.store.sqlite.prepare('SELECT locked_until AS until FROM users WHERE id = ? AND locked_until > ?').get(id, at) as
      { until: string } | undefined;
    if (locked) return Math.max(1, Math.ceil((Date.parse(locked.until) - now.getTime()) / 1000));
    const { n } = this.store.sqlite.prepare('UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ? RETURNING failed_attempts AS n').get(id) as {
      n: number;
    };
    const wait = lockoutSeconds(n);
    if (wait) this.store.sqlite.prepare('UPDATE users SET locked_until = ? WHERE id = ?').run(new Date(now.getTime() + wait * 1000).toISOString(), id);
    return 0;
  }

  private clearFailures(id: string): void {
    this.store.orm.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, id)).run();
  }

  /** Signs in a user whose password was just checked (here, or by the clinic server): clears failures, audits. */
  signedIn(id: string, now: Date = this.now(), detail?: string): User {
    const { sqlite, orm } = this.store;
    const row = orm.select().from(users).where(eq(users.id, id)).get();
    if (!row || row.deletedAt) throw new CairnFailure('not_found', 'this account is not on this device yet: sync the device, then sign in');
    sqlite.transaction(() => {
      this.clearFailures(id);
      this.audit.append({ action: 'session.login', userId: id, ...(detail && { detail }) }, now.toISOString());
    })();
    return { id: row.id, username: row.username, displayName: row.displayName, role: row.role as Role };
  }

  /** A sign-in the clinic server refused (wrong password, locked, disabled): audited here too. */
  refusedByServer(username: string, detail: string): void {
    const row = this.store.orm.select({ id: users.id }).from(users).where(eq(users.username, username)).get();
    this.store.sqlite.transaction(() =>
      this.audit.append({ action: 'session.login_failed', userId: row?.id ?? null, detail: `${username}: clinic server: ${detail}` }, this.now().toISOString()),
    )();
  }
}
