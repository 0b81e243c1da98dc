import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SessionState } from '../../shared/api/contract';
import { CairnFailure } from '../../shared/api/result';
import { assertPasswordAllowed } from './auth/password-policy';
import type { Role, User } from '../../shared/domain/user';
import { BREAK_GLASS_MINUTES } from '../../shared/domain/patient';
import { startCheckpointer, type Checkpointer, type CheckpointerStats } from './db/checkpointer';
import { createDatabase, openWithKey, unlockDatabase, type Store } from './db/open';
import { createRepos, type Repos } from './repos';
import { Resources } from './resources/resources';
import type { FetchLike } from './sync/transport';
import { enrolledServer, signInWithServer } from './sync/user-sessions';
import { clinicZoneOf } from './schedule/schedule-config';
import { refuseRoleNotAllowedHere } from './provision/device-settings';

/**
 * Remembers the derived key for this device (Electron's safeStorage in electron/main). The key
 * is never kept in plaintext on disk; without an adapter it lives only in memory while unlocked.
 */
export interface KeyMemory {
  save(dbFile: string, key: Buffer): void;
  load(dbFile: string): Buffer | null;
  forget(dbFile: string): void;
}

export const DEFAULT_AUTO_LOCK_MINUTES = 10;

export interface SessionOptions {
  dbFile: string;
  resourcesDir: string;
  now?: () => Date;
  keyMemory?: KeyMemory;
  /** Called with a copy of the key when the database is unlocked (the sync worker opens its own connection). */
  onUnlock?: (file: string, key: Buffer) => void;
  /** How sign-in reaches the clinic server of an enrolled device (the clinic's certificate authority). */
  serverFetch?: FetchLike;
  /**
   * The long-lived app (the desktop, dev:web): while the database is unlocked, WAL checkpoints run
   * on a thread of their own (see db/checkpointer.ts), so a clinician's save never waits for one.
   * Done by the writer, every ~40th registration paid for copying the WAL into the file. A command
   * line run is over before a checkpoint thread would pay for itself.
   */
  backgroundCheckpoints?: boolean;
  /** Where a checkpoint thread's failure is told (the writer then checkpoints for itself again). */
  onCheckpointError?: (message: string) => void;
}

/**
 * One device session: which database is open and who is signed in. Holds no global state, so a
 * test builds as many as it likes over temp files.
 */
export class Session {
  private store: Store | null = null;
  private checkpointer: Checkpointer | null = null;
  private repos_: Repos | null = null;
  private user_: User | null = null;
  /** The command line holds the clinic passphrase, i.e. every chart already: role checks do not apply to it. */
  private operator = false;
  private lastActivity = 0;
  /** True after an idle sign-out, until the next sign-in, so the sign-in screen can say why. */
  private autoLocked = false;
  /** Why the last session was ended from outside (account disabled, password reset), for the next refusal. */
  private endedBecause: string | null = null;
  /** The signed-in user's password hash at sign-in: a reset elsewhere changes it and ends this session. */
  private stamp: string | null = null;
  /** Break-glass grants of this session: "userId patientId" → expiry (epoch ms). Cleared at every sign-out. */
  private readonly glass = new Map<string, number>();
  private readonly now: () => Date;
  /** Goes up at every unlock: whatever holds the open database (the sync runner) knows when it changed. */
  private generation_ = 0;
  private readonly lockListeners: (() => void)[] = [];

  constructor(private readonly opts: SessionOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  get dbFile(): string {
    return this.opts.dbFile;
  }

  /** Runs `fn` just before the database closes at every lock, so what reads it (the sync runner) stops first. */
  whenLocked(fn: () => void): void {
    this.lockListeners.push(fn);
  }

  /** Which opening of the database this is (0 while none has been opened). */
  get generation(): number {
    return this.generation_;
  }

  /** Minutes without activity before the signed-in user is signed out (clinic setting, default 10). */
  autoLockMinutes(): number {
    if (!this.store) return DEFAULT_AUTO_LOCK_MINUTES;
    const row = this.store.sqlite.prepare(`SELECT value FROM meta WHERE key = 'auto_lock_minutes'`).get() as { value: string } | undefined;
    return row ? Number(row.value) : DEFAULT_AUTO_LOCK_MINUTES;
  }

  setAutoLockMinutes(minutes: number): number {
    this.requireUser();
    this.store!.sqlite.transaction(() => {
      this.store!.sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('auto_lock_minutes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(
        String(minutes),
      );
      this.repos.audit.append({ action: 'settings.auto_lock', userId: this.user_!.id, detail: `${minutes} minutes` }, this.now().toISOString());
    })();
    return minutes;
  }

  /**
   * Signs the user out once the clinic's idle limit has passed, so an unattended screen does not
   * stay open on a chart. Checked on every call (the backend is the guard) and on status polls.
   */
  private expireIfIdle(): void {
    if (!this.user_ || this.operator) return;
    const idleMs = this.now().getTime() - this.lastActivity;
    if (idleMs <= this.autoLockMinutes() * 60_000) return;
    const id = this.user_.id;
    this.store?.sqlite.transaction(() =>
      this.repos.audit.append({ action: 'session.auto_lock', userId: id, detail: `idle ${Math.round(idleMs / 60_000)} min` }, this.now().toISOString()),
    )();
    this.user_ = null;
    this.glass.clear();
    this.autoLocked = true;
  }

  /**
   * Ends the session of a user an administrator disabled, or whose password was reset, since
   * they signed in: checked on every call, like the idle limit.
   */
  private endIfRevoked(): void {
    if (!this.user_ || this.operator || !this.repos_) return;
    const state = this.repos_.users.credentialState(this.user_.id);
    if (state && !state.disabled && state.stamp === this.stamp) return;
    const disabled = !state || state.disabled;
    const id = this.user_.id;
    this.store?.sqlite.transaction(() =>
      this.repos.audit.append({ action: 'session.revoked', userId: id, detail: disabled ? 'account disabled' : 'password reset' }, this.now().toISOString()),
    )();
    this.user_ = null;
    this.glass.clear();
    this.endedBecause = disabled
      ? 'your account was disabled by an administrator: you were signed out'
      : 'your password was reset: sign in with the new password';
  }

  /** Opens a restricted chart to the signed-in user for BREAK_GLASS_MINUTES; the caller has re-authenticated and audited. */
  grantBreakGlass(patientId: string): string {
    const user = this.requireUser();
    const until = this.now().getTime() + BREAK_GLASS_MINUTES * 60_000;
    this.glass.set(`${user.id} ${patientId}`, until);
    return new Date(until).toISOString();
  }

  /** After the signed-in user's own password was reset here: keep this session (other sessions still end). */
  acceptOwnPasswordChange(): void {
    if (this.user_ && !this.operator) this.stamp = this.repos.users.credentialState(this.user_.id)?.stamp ?? null;
  }

  /** Whether the signed-in user may open this restricted chart now (the command-line operator always may). */
  mayOpenRestricted(patientId: string): boolean {
    const user = this.requireUser();
    if (this.operator) return true;
    const until = this.glass.get(`${user.id} ${patientId}`);
    return until !== undefined && this.now().getTime() < until;
  }

  status(): SessionState {
    this.expireIfIdle();
    this.endIfRevoked();
    const state = !this.store ? (existsSync(this.opts.dbFile) ? 'locked' : 'uninitialized') : this.user_ ? 'signedIn' : 'unlocked';
    return {
      state,
      user: this.user_,
      clinicName: this.store ? this.clinicName() : null,
      autoLocked: this.autoLocked,
      autoLockMinutes: this.autoLockMinutes(),
      clinicZone: this.clinicZone(),
    };
  }

  /** The clinic's zone from the schedule's clinic-hours.json; null with no database open or when that file cannot be read. */
  private clinicZone(): string | null {
    if (!this.repos_) return null;
    try {
      return clinicZoneOf(this.repos_.resources);
    } catch {
      return null;
    }
  }

  private clinicName(): string | null {
    const row = this.store!.sqlite.prepare(`SELECT value FROM meta WHERE key = 'clinic_name'`).get() as { value: string } | undefined;
    return row?.value ?? null;
  }

  /** First run: creates the encrypted database, names the clinic and makes the first administrator. */
  async setup(p: { clinicName: string; passphrase: string; adminUsername: string; adminDisplayName: string; adminPassword: string }): Promise<SessionState> {
    if (existsSync(this.opts.dbFile)) throw new CairnFailure('already_initialized', 'this device already has a Cairn database; unlock it instead');
    // Before the database exists: a refused password must not leave a database with no administrator.
    assertPasswordAllowed(
      p.adminPassword,
      { username: p.adminUsername, displayName: p.adminDisplayName, clinicName: p.clinicName },
      new Resources(this.opts.resourcesDir),
      'adminPassword',
    );
    const { store, key } = await createDatabase(this.opts.dbFile, p.passphrase, { resourcesDir: this.opts.resourcesDir });
    this.attach(store, key);
    store.sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('clinic_name', ?)`).run(p.clinicName);
    this.user_ = await this.repos.users.create({ username: p.adminUsername, displayName: p.adminDisplayName, role: 'admin', password: p.adminPassword }, null);
    this.stamp = this.repos.users.credentialState(this.user_.id)?.stamp ?? null;
    this.lastActivity = this.now().getTime();
    return this.status();
  }

  async unlock(passphrase: string): Promise<SessionState> {
    if (this.store) return this.status();
    const { store, key } = await unlockDatabase(this.opts.dbFile, passphrase, { resourcesDir: this.opts.resourcesDir });
    this.attach(store, key);
    return this.status();
  }

  /** Opens with a key this device remembered, if any; returns whether it did. */
  tryRememberedKey(): boolean {
    const key = this.opts.keyMemory?.load(this.opts.dbFile);
    if (!key || this.store) return false;
    try {
      this.attach(openWithKey(this.opts.dbFile, key, { resourcesDir: this.opts.resourcesDir }), key);
      return true;
    } catch {
      this.opts.keyMemory?.forget(this.opts.dbFile);
      return false;
    }
  }

  private attach(store: Store, key: Buffer): void {
    this.store = store;
    if (this.opts.backgroundCheckpoints) this.checkpointer = startCheckpointer(store, { onError: this.opts.onCheckpointError });
    this.generation_++;
    this.repos_ = createRepos(store, { now: this.now, clinicTemplatesDir: join(dirname(this.opts.dbFile), 'templates') });
    this.opts.keyMemory?.save(this.opts.dbFile, key);
    this.opts.onUnlock?.(this.opts.dbFile, Buffer.from(key));
    key.fill(0);
  }

  /**
   * The command line acts as an operator who holds the clinic passphrase; its actions are
   * audited under `label` (e.g. "cli:alice"). Not reachable through any channel.
   */
  actAsOperator(label: string): void {
    void this.repos;
    this.user_ = { id: label, username: label, displayName: `Command line (${label})`, role: 'admin' };
    this.operator = true;
  }

  /**
   * Signs a user in. On a device enrolled with a clinic server that answers, the server checks the
   * password (one lockout per account for the whole clinic, whichever device is tried) and gives
   * this device a session for the user, without which the server accepts no change of theirs. When
   * the server cannot be reached, the device's own copy decides (offline sign-in).
   */
  async login(username: string, password: string): Promise<SessionState> {
    const server = enrolledServer(this.repos.store.sqlite);
    const verdict = server ? await signInWithServer(this.repos.store.sqlite, server, username, password, this.opts.serverFetch) : null;
    if (verdict?.status === 'refused') {
      this.repos.users.refusedByServer(username, verdict.code);
      throw new CairnFailure(verdict.code === 'account_disabled' ? 'account_disabled' : 'bad_credentials', verdict.message);
    }
    const user =
      verdict?.status === 'ok'
        ? this.repos.users.signedIn(verdict.userId, this.now(), 'checked by the clinic server')
        : await this.repos.users.authenticate(username, password);
    // A provisioned computer may be set up for some roles only (device.allowed_roles).
    refuseRoleNotAllowedHere(this.repos, user, this.now());
    this.user_ = user;
    this.stamp = this.repos.users.credentialState(this.user_.id)?.stamp ?? null;
    this.glass.clear();
    this.lastActivity = this.now().getTime();
    this.autoLocked = false;
    this.endedBecause = null;
    return this.status();
  }

  logout(): SessionState {
    if (this.user_ && this.store) {
      const id = this.user_.id;
      this.store.sqlite.transaction(() => this.repos.audit.append({ action: 'session.logout', userId: id }, this.now().toISOString()))();
    }
    this.user_ = null;
    this.operator = false;
    this.glass.clear();
    this.endedBecause = null;
    return this.status();
  }

  /** Closes the database and drops the key from memory (and from the device's key memory). */
  lock(): SessionState {
    this.logout();
    this.opts.keyMemory?.forget(this.opts.dbFile);
    for (const fn of this.lockListeners) fn();
    this.closeStore();
    this.repos_ = null;
    return this.status();
  }

  /** Repositories of the unlocked database. */
  get repos(): Repos {
    if (!this.repos_) {
      throw new CairnFailure(
        existsSync(this.opts.dbFile) ? 'locked' : 'not_initialized',
        existsSync(this.opts.dbFile) ? 'the database is locked: unlock it with the clinic passphrase' : 'no database yet: set up this device first',
      );
    }
    return this.repos_;
  }

  /**
   * The signed-in user, or an `unauthenticated` failure. Counts as activity for the idle limit,
   * except with `passive` (status polls the screen makes on its own must not keep a session open).
   */
  requireUser(roles?: readonly Role[], opts: { passive?: boolean } = {}): User {
    void this.repos;
    this.expireIfIdle();
    this.endIfRevoked();
    if (!this.user_)
      throw new CairnFailure(
        'unauthenticated',
        this.autoLocked ? `signed out after ${this.autoLockMinutes()} minutes without activity: sign in again` : (this.endedBecause ?? 'sign in first'),
      );
    if (!opts.passive) this.lastActivity = this.now().getTime();
    if (roles && !this.operator && !roles.includes(this.user_.role)) {
      throw new CairnFailure('forbidden', `a ${this.user_.role.replace('_', ' ')} may not do this`);
    }
    return this.user_;
  }

  /**
   * The checkpoint thread takes a last checkpoint and closes its connection (its copy of the key
   * goes with it), then the database closes here.
   */
  private closeStore(): void {
    void this.checkpointer?.stop();
    this.checkpointer = null;
    this.store?.close();
    this.store = null;
  }

  /** The checkpoint thread's counts while one runs (see `backgroundCheckpoints`), else null. */
  checkpointStats(): CheckpointerStats | null {
    return this.checkpointer?.stats() ?? null;
  }

  close(): void {
    this.closeStore();
    this.repos_ = null;
    this.user_ = null;
    this.glass.clear();
  }
}
