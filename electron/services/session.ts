import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SessionState } from '../../shared/api/contract';
import { CairnFailure } from '../../shared/api/result';
import type { Role, User } from '../../shared/domain/user';
import { createDatabase, openWithKey, unlockDatabase, type Store } from './db/open';
import { createRepos, type Repos } from './repos';

/**
 * Remembers the derived key for this device (Electron's safeStorage in electron/main). The key
 * is never kept in plaintext on disk; without an adapter it lives only in memory while unlocked.
 */
export interface KeyMemory {
  save(dbFile: string, key: Buffer): void;
  load(dbFile: string): Buffer | null;
  forget(dbFile: string): void;
}

export interface SessionOptions {
  dbFile: string;
  resourcesDir: string;
  now?: () => Date;
  keyMemory?: KeyMemory;
}

/**
 * One device session: which database is open and who is signed in. Holds no global state, so a
 * test builds as many as it likes over temp files.
 */
export class Session {
  private store: Store | null = null;
  private repos_: Repos | null = null;
  private user_: User | null = null;
  /** The command line holds the clinic passphrase, i.e. every chart already: role checks do not apply to it. */
  private operator = false;
  private readonly now: () => Date;

  constructor(private readonly opts: SessionOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  get dbFile(): string {
    return this.opts.dbFile;
  }

  status(): SessionState {
    const state = !this.store ? (existsSync(this.opts.dbFile) ? 'locked' : 'uninitialized') : this.user_ ? 'signedIn' : 'unlocked';
    return { state, user: this.user_, clinicName: this.store ? this.clinicName() : null };
  }

  private clinicName(): string | null {
    const row = this.store!.sqlite.prepare(`SELECT value FROM meta WHERE key = 'clinic_name'`).get() as { value: string } | undefined;
    return row?.value ?? null;
  }

  /** First run: creates the encrypted database, names the clinic and makes the first administrator. */
  async setup(p: { clinicName: string; passphrase: string; adminUsername: string; adminDisplayName: string; adminPassword: string }): Promise<SessionState> {
    if (existsSync(this.opts.dbFile)) throw new CairnFailure('already_initialized', 'this device already has a Cairn database; unlock it instead');
    const { store, key } = await createDatabase(this.opts.dbFile, p.passphrase, { resourcesDir: this.opts.resourcesDir });
    this.attach(store, key);
    store.sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('clinic_name', ?)`).run(p.clinicName);
    this.user_ = await this.repos.users.create(
      { username: p.adminUsername, displayName: p.adminDisplayName, role: 'admin', password: p.adminPassword },
      null,
    );
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
    this.repos_ = createRepos(store, { now: this.now, clinicTemplatesDir: join(dirname(this.opts.dbFile), 'templates') });
    this.opts.keyMemory?.save(this.opts.dbFile, key);
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

  async login(username: string, password: string): Promise<SessionState> {
    this.user_ = await this.repos.users.authenticate(username, password);
    return this.status();
  }

  logout(): SessionState {
    if (this.user_ && this.store) {
      const id = this.user_.id;
      this.store.sqlite.transaction(() => this.repos.audit.append({ action: 'session.logout', userId: id }, this.now().toISOString()))();
    }
    this.user_ = null;
    this.operator = false;
    return this.status();
  }

  /** Closes the database and drops the key from memory (and from the device's key memory). */
  lock(): SessionState {
    this.logout();
    this.opts.keyMemory?.forget(this.opts.dbFile);
    this.store?.close();
    this.store = null;
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

  /** The signed-in user, or an `unauthenticated` failure. */
  requireUser(roles?: readonly Role[]): User {
    void this.repos;
    if (!this.user_) throw new CairnFailure('unauthenticated', 'sign in first');
    if (roles && !this.operator && !roles.includes(this.user_.role)) {
      throw new CairnFailure('forbidden', `a ${this.user_.role.replace('_', ' ')} may not do this`);
    }
    return this.user_;
  }

  close(): void {
    this.store?.close();
    this.store = null;
    this.repos_ = null;
    this.user_ = null;
  }
}
