import { createHash, randomBytes } from 'node:crypto';
import { ENTITIES, isEntity, isWireValue, type Clocks, type EntityName, type Fields } from '../../shared/sync/entities';
import { hlcWall, MAX_CLOCK_AHEAD_MS } from '../../shared/sync/hlc';
import { mergeChange, type MergeOptions } from '../../shared/sync/merge';
import type { Change, Mutation, MutationResult, PullResponse, PushRequest, PushResponse } from '../../shared/sync/protocol';
import type { ServerDb, Sql } from './db/open';
import { jsonbParam } from './db/jsonb-param';
import { ServerError } from './server-error';
import { conflictEntry, lockRows, repeats, storeAudit, writeLog, type LogEntry } from './sync-log';
import { UserSessions, type VerifiedUser } from './user-sessions';
import { PortalWriter, type PortalChange } from './portal-changes';
import { patientMatches } from './patient-matches';
import { expandClocks } from '../../shared/sync/compact-clocks';

export interface SyncServiceOptions {
  now?: () => number;
  merge?: MergeOptions;
}

export interface DeviceIdentity {
  id: string;
  name: string;
  /** Enrolled with an operator code: its command line and lab interface may write as `cli:…`. */
  operator: boolean;
}

/** A device credential lasts this long after its last use; an unused device must enroll again. */
export const DEVICE_TOKEN_DAYS = 90;

export { portalAuthor, type PortalChange } from './portal-changes';

/** Who a request comes from, as the server itself established it. */
export interface Caller {
  device: DeviceIdentity;
  /** Users with a live session on this device (their passwords were checked by this server). */
  users: Map<string, VerifiedUser>;
}

/** A log entry the asking device ($3) wrote, logged as written: every column at its shared clock. */
const ECHO = "(device_id = $3::text AND hlc IS NOT NULL AND clocks = '{}'::jsonb)";

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** "7KQ2M-XW9PD": easy to read aloud and type; normalised before hashing. */
function newEnrollmentCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
const normaliseCode = (code: string): string => code.toUpperCase().replace(/[^0-9A-Z]/g, '');

/**
 * The clinic server's sync logic over its database. It holds no state of its own, so any number
 * of server processes may share one PostgreSQL database.
 */
export class SyncService {
  private readonly now: () => number;
  readonly sessions: UserSessions;
  /** The patient portal's writes into the change log (portal-changes.ts). */
  private readonly portal: PortalWriter;

  constructor(
    readonly db: ServerDb,
    private readonly opts: SyncServiceOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.sessions = new UserSessions(db, this.now);
    this.portal = new PortalWriter(this.now, opts.merge);
  }

  /**
   * A one-time code an administrator gives a device; valid for `hours`. An operator code makes an
   * operator device (the command line or lab interface of the clinic, writing as `cli:…`).
   */
  async createEnrollmentCode(name: string, hours = 24, o: { operator?: boolean } = {}): Promise<{ code: string; expiresAt: string; operator: boolean }> {
    const code = newEnrollmentCode();
    const expiresAt = new Date(this.now() + hours * 3_600_000).toISOString();
    const operator = o.operator === true;
    await this.db.query('INSERT INTO enrollment_codes (code_hash, name, expires_at, operator) VALUES ($1, $2, $3, $4)', [
      sha256(normaliseCode(code)),
      name,
      expiresAt,
      operator,
    ]);
    return { code, expiresAt, operator };
  }

  private tokenExpiry(): string {
    return new Date(this.now() + DEVICE_TOKEN_DAYS * 86_400_000).toISOString();
  }

  /** Exchanges a one-time code for the device's own credential. */
  async enroll(req: {
    code: string;
    deviceId: string;
    deviceName: string;
    users: { fields: Fields; clocks: Clocks }[];
  }): Promise<{ deviceId: string; token: string; mrnBlock: number; operator: boolean }> {
    const token = randomBytes(32).toString('base64url');
    let mrnBlock = 0;
    let operator = false;
    await this.db.tx(async (q) => {
      const [row] = await q.query<{ name: string; operator: boolean }>(
        'SELECT name, operator FROM enrollment_codes WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE',
        [sha256(normaliseCode(req.code)), new Date(this.now()).toISOString()],
      );
      if (!row)
        throw new ServerError(401, 'enrollment_refused', 'this enrollment code is wrong, expired or already used; ask the clinic administrator for a new one');
      const [existing] = await q.query<{ revoked_at: string | null }>('SELECT revoked_at FROM devices WHERE id = $1 FOR UPDATE', [req.deviceId]);
      if (existing?.revoked_at) throw new ServerError(403, 'device_revoked', 'this device was revoked; it cannot enroll again with the same identity');
      operator = row.operator === true;
      if (existing) {
        await q.query('UPDATE devices SET token_hash = $2, name = $3, operator = $4, token_expires_at = $5 WHERE id = $1', [
          req.deviceId,
          sha256(token),
          req.deviceName,
          operator,
          this.tokenExpiry(),
        ]);
        // A device enrolled again starts over: sessions given to its earlier credential end.
        await q.query('UPDATE user_sessions SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL', [req.deviceId]);
      } else {
        await q.query('INSERT INTO devices (id, name, token_hash, operator, token_expires_at) VALUES ($1, $2, $3, $4, $5)', [
          req.deviceId,
          req.deviceName,
          sha256(token),
          operator,
          this.tokenExpiry(),
        ]);
      }
      await q.query('UPDATE enrollment_codes SET used_at = now(), device_id = $2 WHERE code_hash = $1', [sha256(normaliseCode(req.code)), req.deviceId]);
      const [blk] = await q.query<{ mrn_block: number }>(
        "UPDATE devices SET mrn_block = coalesce(mrn_block, nextval('device_mrn_block')) WHERE id = $1 RETURNING mrn_block",
        [req.deviceId],
      );
      mrnBlock = Number(blk!.mrn_block);
      await this.importUsers(q, req.deviceId, req.users);
    });
    return { deviceId: req.deviceId, token, mrnBlock, operator };
  }

  /**
   * The clinic's user accounts arrive with the first device enrolled (the one the clinic was set up
   * on). Important: after that, accounts a device brings are ignored: a device that could add users
   * at enrollment could make itself an administrator. Later accounts come from an administrator's
   * signed-in session, like any other change.
   */
  private async importUsers(q: Sql, deviceId: string, users: { fields: Fields; clocks: Clocks }[]): Promise<void> {
    const [anyUser] = await q.query("SELECT 1 FROM sync_rows WHERE entity = 'user' LIMIT 1");
    if (anyUser) return;
    const entries: LogEntry[] = [];
    for (const u of users) {
      const id = u.fields['id'];
      if (typeof id !== 'string' || !Object.values(u.fields).every(isWireValue))
        throw new ServerError(400, 'invalid_user', 'a user account sent at enrollment has no id or an invalid value');
      const [known] = await q.query('SELECT 1 FROM sync_rows WHERE entity = $1 AND entity_id = $2', ['user', id]);
      if (known) continue;
      const fields = Object.fromEntries(
        Object.entries(u.fields).filter(([k]) => !(ENTITIES.user.localOnly as readonly string[]).includes(k) && k !== 'version'),
      );
      entries.push({ deviceId, deviceSeq: null, entity: 'user', entityId: id, patientId: null, op: 'insert', fields, clocks: u.clocks, authorId: null });
    }
    await writeLog(
      q,
      entries,
      new Map(entries.map((e) => [`user\u0000${e.entityId}`, { entity: 'user', entityId: e.entityId, patientId: null, data: e.fields, clocks: e.clocks }])),
    );
  }

  async revoke(deviceId: string): Promise<void> {
    const rows = await this.db.query('UPDATE devices SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [deviceId]);
    if (rows.length === 0) throw new ServerError(404, 'not_found', `no enrolled, unrevoked device with id ${deviceId}`);
  }

  async listDevices(): Promise<{ id: string; name: string; enrolledAt: string; revokedAt: string | null; lastSeq: number; lastSeenAt: string | null }[]> {
    const rows = await this.db.query<{ id: string; name: string; enrolled_at: Date; revoked_at: Date | null; last_seq: number; last_seen_at: Date | null }>(
      'SELECT id, name, enrolled_at, revoked_at, last_seq, last_seen_at FROM devices ORDER BY enrolled_at',
    );
    const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      enrolledAt: iso(r.enrolled_at)!,
      revokedAt: iso(r.revoked_at),
      lastSeq: Number(r.last_seq),
      lastSeenAt: iso(r.last_seen_at),
    }));
  }

  /** The device behind a credential, or a 401 a person can act on. */
  async device(token: string | null): Promise<DeviceIdentity> {
    if (!token) throw new ServerError(401, 'unauthenticated', 'this request carries no device credential; enroll the device first (cairn enroll)');
    const [device] = await this.db.query<{ id: string; name: string; revoked_at: Date | null; operator: boolean; token_expires_at: Date | null }>(
      'SELECT id, name, revoked_at, operator, token_expires_at FROM devices WHERE token_hash = $1',
      [sha256(token)],
    );
    if (!device) throw new ServerError(401, 'unauthenticated', 'this device credential is not known to the clinic server; enroll the device again');
    if (device.revoked_at)
      throw new ServerError(401, 'device_revoked', `this device ("${device.name}") was revoked by the clinic administrator; it can no longer sync`);
    if (device.token_expires_at && new Date(device.token_expires_at).getTime() <= this.now()) {
      throw new ServerError(
        401,
        'device_expired',
        `this device ("${device.name}") has not synced for over ${DEVICE_TOKEN_DAYS} days and its credential expired; ask the clinic administrator for a new enrollment code`,
      );
    }
    return { id: device.id, name: device.name, operator: device.operator === true };
  }

  /**
   * Device credential + the user sessions it presents → who is syncing. Identity comes only from
   * what this server issued: a session token it handed out after checking a password, or an
   * operator enrollment. A user name in a header proves nothing.
   */
  async authenticate(token: string | null, sessionTokens: readonly string[]): Promise<Caller> {
    const device = await this.device(token);
    const users = await this.sessions.verify(this.db, device.id, sessionTokens);
    return { device, users };
  }

  /**
   * A pull carries every chart and the password hashes devices need for offline sign-in, so it is
   * answered only to an operator device or for a user signed in on this device.
   */
  requireReader(caller: Caller, named: string | null): void {
    if (caller.device.operator && (named === null || named.startsWith('cli:'))) return;
    if (named !== null && caller.users.has(named)) return;
    if (named === null && caller.users.size > 0) return;
    throw new ServerError(
      403,
      'not_signed_in',
      'no user of this device has signed in with the clinic server checking the password: sign in while the clinic server is reachable, then sync',
    );
  }

  /**
   * Applies a device's batch in one transaction. Mutations already seen are answered again and not
   * applied twice; a gap is refused; each refused mutation is answered with its reason (the device
   * quarantines it); a clock too far ahead refuses the whole batch.
   */
  async push(caller: Caller, req: PushRequest): Promise<PushResponse> {
    const device = caller.device;
    const serverNow = this.now();
    this.checkClock(req, serverNow);
    return this.db.tx(async (q) => {
      const [dev] = await q.query<{ last_seq: number }>('SELECT last_seq FROM devices WHERE id = $1 FOR UPDATE', [device.id]);
      if (!dev) throw new ServerError(401, 'unauthenticated', 'this device is not enrolled');
      let lastSeq = Number(dev.last_seq);
      const sorted = [...req.mutations].sort((a, b) => a.seq - b.seq);
      const seen = sorted.filter((m) => m.seq <= lastSeq);
      const fresh = sorted.filter((m) => m.seq > lastSeq);
      fresh.forEach((m, i) => {
        if (m.seq !== lastSeq + 1 + i) {
          throw new ServerError(409, 'sequence_gap', `this device's changes must arrive in order: expected change ${lastSeq + 1 + i}, got ${m.seq}`, {
            expectedSeq: lastSeq + 1 + i,
          });
        }
      });
      const results = new Map<number, MutationResult>(await this.answerSeen(q, device.id, seen));
      if (fresh.length > 0) {
        for (const r of await this.applyFresh(q, caller, fresh)) results.set(r.seq, r);
        lastSeq = fresh[fresh.length - 1]!.seq;
      }
      await q.query('UPDATE devices SET last_seq = $2, last_seen_at = now(), schema_version = $3, token_expires_at = $4 WHERE id = $1', [
        device.id,
        lastSeq,
        req.schemaVersion,
        this.tokenExpiry(),
      ]);
      const auditAccepted = await storeAudit(q, device.id, req.audit);
      return { results: sorted.map((m) => results.get(m.seq)!), auditAccepted, serverTime: serverNow, lastSeq };
    });
  }

  private checkClock(req: PushRequest, serverNow: number): void {
    const newest = Math.max(req.clientTime, ...req.mutations.map((m) => hlcWall(m.hlc)));
    const ahead = newest - serverNow;
    if (ahead > MAX_CLOCK_AHEAD_MS) {
      const minutes = Math.round(ahead / 60_000);
      throw new ServerError(
        409,
        'clock_ahead',
        `this device's clock is ${minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`} ahead of the clinic server; set the computer's date and time correctly, then sync again (nothing was lost: the changes wait on the device)`,
        { serverTime: serverNow },
      );
    }
  }

  private async answerSeen(q: Sql, deviceId: string, seen: Mutation[]): Promise<[number, MutationResult][]> {
    if (seen.length === 0) return [];
    const seqs = seen.map((m) => m.seq);
    const applied = await q.query<{ device_seq: number; server_seq: number }>(
      'SELECT device_seq, server_seq FROM sync_changes WHERE device_id = $1 AND device_seq = ANY($2::bigint[])',
      [deviceId, seqs],
    );
    const refused = await q.query<{
      device_seq: number;
      code: string;
      message: string;
      data: Fields | null;
      clocks: Clocks | null;
      hlc: string | null;
      server_seq: number | null;
    }>(
      `SELECT r.device_seq, r.code, r.message, s.data, s.clocks, s.hlc, s.server_seq FROM sync_rejections r
       LEFT JOIN sync_rows s ON s.entity = r.mutation->>'entity' AND s.entity_id = r.mutation->>'id'
       WHERE r.device_id = $1 AND r.device_seq = ANY($2::bigint[])`,
      [deviceId, seqs],
    );
    const out = new Map<number, MutationResult>(seqs.map((s) => [s, { seq: s, status: 'duplicate', serverSeq: null }]));
    for (const r of applied) out.set(Number(r.device_seq), { seq: Number(r.device_seq), status: 'duplicate', serverSeq: Number(r.server_seq) });
    // A refusal answered again (its first answer was lost) carries the record's state too, so the
    // device can still put its copy back.
    for (const r of refused) {
      const current =
        r.data && r.clocks && r.server_seq !== null ? { fields: r.data, clocks: expandClocks(r.data, r.hlc, r.clocks), serverSeq: Number(r.server_seq) } : null;
      out.set(Number(r.device_seq), { seq: Number(r.device_seq), status: 'rejected', code: r.code, message: r.message, current });
    }
    return [...out.entries()];
  }

  private async applyFresh(q: Sql, caller: Caller, fresh: Mutation[]): Promise<MutationResult[]> {
    const device = caller.device;
    const rows = await lockRows(q, fresh);
    // Roles as this server holds them, for the users signed in on this device; nobody else may author.
    const authors = new Map([...caller.users.values()].map((u) => [u.id, { role: u.role, disabled: false }]));
    const matches = await patientMatches(q, fresh);
    const log: LogEntry[] = [];
    const logIndex = new Map<number, number>();
    const refusals: { m: Mutation; code: string; message: string }[] = [];
    for (const m of fresh) {
      const refusal = this.refusal(m, authors, device);
      if (refusal) {
        refusals.push({ m, ...refusal });
        continue;
      }
      const entity = m.entity as EntityName;
      const key = `${entity}\u0000${m.id}`;
      const current = rows.get(key) ?? null;
      const merged = mergeChange(
        ENTITIES[entity],
        current,
        { op: m.op, hlc: m.hlc, fields: m.fields, base: m.base, deviceId: device.id, authorId: m.authorId },
        this.opts.merge,
      );
      if (!merged.ok) {
        refusals.push({ m, code: merged.code, message: merged.message });
        continue;
      }
      const patientId = m.patientId ?? current?.patientId ?? null;
      rows.set(key, { entity, entityId: m.id, patientId, ...merged.row });
      // An account changed in this batch (role, disabled) counts from the next change on.
      if (entity === 'user' && authors.has(m.id)) authors.set(m.id, { role: String(merged.row.data['role']), disabled: Boolean(merged.row.data['disabled']) });
      logIndex.set(m.seq, log.length);
      log.push({
        deviceId: device.id,
        deviceSeq: m.seq,
        entity,
        entityId: m.id,
        patientId,
        op: current ? 'update' : 'insert',
        fields: merged.touched,
        clocks: merged.touchedClocks,
        authorId: m.authorId,
      });
      for (const c of merged.conflicts) log.push(conflictEntry(this.now, entity, m.id, patientId, c, m));
      if (entity === 'patient' && !current) log.push(...repeats(this.now, m, matches));
    }
    for (const e of log.filter((l) => l.entity === 'sync_conflict' && l.deviceSeq === null)) {
      rows.set(`sync_conflict\u0000${e.entityId}`, { entity: 'sync_conflict', entityId: e.entityId, patientId: e.patientId, data: e.fields, clocks: e.clocks });
    }
    const first = await writeLog(q, log, rows);
    if (refusals.length > 0) {
      await q.query(
        `INSERT INTO sync_rejections (device_id, device_seq, code, message, mutation)
         SELECT $1, x.seq, x.code, x.message, x.mutation FROM jsonb_to_recordset($2::jsonb) AS x(seq bigint, code text, message text, mutation jsonb)
         ON CONFLICT DO NOTHING`,
        [device.id, jsonbParam(refusals.map((r) => ({ seq: r.m.seq, code: r.code, message: r.message, mutation: r.m })))],
      );
    }
    const refusedBySeq = new Map(refusals.map((r) => [r.m.seq, r]));
    return fresh.map((m): MutationResult => {
      const r = refusedBySeq.get(m.seq);
      if (r) {
        const row = rows.get(`${m.entity}\u0000${m.id}`);
        const current = row?.serverSeq !== undefined ? { fields: row.data, clocks: row.clocks, serverSeq: row.serverSeq } : null;
        return { seq: m.seq, status: 'rejected', code: r.code, message: r.message, current };
      }
      return { seq: m.seq, status: 'applied', serverSeq: first + logIndex.get(m.seq)! };
    });
  }

  /**
   * Why a mutation is refused before merging: unknown record type, bad values, an author who did not
   * sign in on this device, or a role that may not write it.
   */
  private refusal(m: Mutation, authors: Map<string, { role: string; disabled: boolean }>, device: DeviceIdentity): { code: string; message: string } | null {
    if (!isEntity(m.entity))
      return { code: 'unknown_entity', message: `the clinic server does not know records of type "${m.entity}"; update the clinic server` };
    // `cli:` authors are the clinic's operator: only from a device enrolled with an operator code.
    const author = m.authorId.startsWith('cli:') ? (device.operator ? { role: 'operator', disabled: false } : undefined) : authors.get(m.authorId);
    if (!author) {
      return m.authorId.startsWith('cli:')
        ? {
            code: 'not_operator',
            message: `this device was not enrolled as an operator device, so changes made from its command line (${m.authorId}) are not accepted; enroll it with an operator code (cairn server enroll --operator)`,
          }
        : {
            code: 'author_not_signed_in',
            message: `the author of this change (user ${m.authorId}) has no session on this device that the clinic server checked; they must sign in on it while the clinic server is reachable`,
          };
    }
    if (author.disabled) return { code: 'forbidden', message: `the author of this change (user ${m.authorId}) is disabled` };
    const writers: readonly string[] = ENTITIES[m.entity].writers;
    if (author.role !== 'operator' && !writers.includes(author.role))
      return { code: 'forbidden', message: `a ${author.role.replace('_', ' ')} may not change ${m.entity.replace('_', ' ')} records` };
    if (m.fields['id'] !== undefined && m.fields['id'] !== m.id) return { code: 'invalid', message: 'the record id in the change does not match its fields' };
    return null;
  }

  /** The head of a device's audit chain as this server holds it (its anchor outside the device), or null before its first push. */
  async auditHead(deviceId: string): Promise<{ seq: number; hash: string } | null> {
    const [last] = await this.db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_entries WHERE device_id = $1 ORDER BY seq DESC LIMIT 1', [
      deviceId,
    ]);
    return last ? { seq: Number(last.seq), hash: last.hash } : null;
  }

  /**
   * Writes changes made on the patient portal into the change log, inside the caller's transaction,
   * merged exactly as a device's would be (so a staff edit made meanwhile on a device is kept as a
   * conflict, never lost) and pulled by every device. Only entities marked `portal: true` may be
   * written; a device can never author as `portal:…` (see `refusal`). Returns the log entries'
   * server sequence numbers.
   */
  async writeAsPortal(q: Sql, authorId: string, changes: PortalChange[]): Promise<number[]> {
    return this.portal.write(q, authorId, changes);
  }

  /**
   * Changes after `cursor`, in order, at most `limit`. `compact`: each change's clocks as stored, its
   * shared clock once (PULL_COMPACT_CLOCKS); else every column's. `echoesFor` (a device id, with
   * `compact`): that device's own changes logged exactly as it wrote them (every column at the
   * change's clock) come as echoes, without their columns (PULL_OWN_ECHOES).
   */
  async pull(cursor: number, limit: number, compact = false, echoesFor: string | null = null): Promise<PullResponse> {
    const [head] = await this.db.query<{ n: number }>('SELECT n FROM sync_counter WHERE id = 1');
    // Up to date (the usual answer): one query.
    if (Number(head?.n ?? 0) <= cursor) return { changes: [], cursor, head: cursor, more: false, serverTime: this.now() };
    const echoes = compact ? echoesFor : null;
    const rows = await this.db.query<{
      server_seq: number;
      entity: string;
      entity_id: string;
      op: 'insert' | 'update';
      patient_id: string | null;
      fields: Fields | null;
      clocks: Clocks;
      hlc: string | null;
      device_id: string | null;
      device_seq: number | null;
    }>(
      `SELECT server_seq, entity, entity_id, op, patient_id, CASE WHEN ${ECHO} THEN NULL ELSE fields END AS fields, clocks, hlc, device_id, device_seq
       FROM sync_changes WHERE server_seq > $1 ORDER BY server_seq LIMIT $2`,
      [cursor, limit, echoes],
    );
    const changes: Change[] = rows.map((r) => {
      const base = {
        serverSeq: Number(r.server_seq),
        entity: r.entity,
        id: r.entity_id,
        op: r.op,
        patientId: r.patient_id,
        deviceId: r.device_id,
        deviceSeq: r.device_seq === null ? null : Number(r.device_seq),
      };
      if (r.fields === null) return { ...base, fields: {}, clocks: {}, hlc: r.hlc, echo: true };
      return { ...base, fields: r.fields, ...(compact ? { clocks: r.clocks, hlc: r.hlc } : { clocks: expandClocks(r.fields, r.hlc, r.clocks) }) };
    });
    const next = changes.length > 0 ? changes[changes.length - 1]!.serverSeq : cursor;
    return { changes, cursor: next, head: Math.max(Number(head?.n ?? 0), next), more: changes.length === limit, serverTime: this.now() };
  }
}
