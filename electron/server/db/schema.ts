import { bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The clinic server's schema (PGlite or PostgreSQL). drizzle-kit turns it into SQL under
 * resources/migrations/server. Nothing here is kept in a server process's memory, so several
 * processes can share one PostgreSQL database.
 */

/** Enrolled devices. The credential is stored only as a SHA-256 hash. */
export const devices = pgTable('devices', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** The highest device sequence the server has seen (applied or refused). */
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  schemaVersion: integer('schema_version'),
  /** The device's own block of MRNs (assigned once), so devices apart never hand out the same MRN. */
  mrnBlock: integer('mrn_block').unique(),
  /** The credential stops working after this; every sync moves it forward (a device unused for long must enroll again). */
  tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
  /**
   * Enrolled with an operator code (`cairn server enroll --operator`): the command line and the lab
   * interface on this device may write as `cli:…`. Any other device writes only as users who signed in on it.
   */
  operator: boolean('operator').notNull().default(false),
});

/** One-time enrollment codes an administrator hands to a device; hashed, expiring. */
export const enrollmentCodes = pgTable('enrollment_codes', {
  codeHash: text('code_hash').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  deviceId: text('device_id'),
  /** The device enrolled with this code becomes an operator device (see devices.operator). */
  operator: boolean('operator').notNull().default(false),
});

/**
 * A user's proof, held by one device, that the user signed in there with their password checked by
 * this server. Every change a device pushes must be authored by a user holding a live session on that
 * device (or by its operator). Stored only as a SHA-256 hash; `stamp` is a hash of the password hash it
 * was issued under, so a password reset ends every session.
 */
export const userSessions = pgTable(
  'user_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    deviceId: text('device_id').notNull(),
    userId: text('user_id').notNull(),
    stamp: text('stamp').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('user_sessions_device_user_idx').on(t.deviceId, t.userId)],
);

/** Failed sign-ins checked by the server, per account, shared by every device of the clinic. */
export const userLockouts = pgTable('user_lockouts', {
  userId: text('user_id').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

/** The single counter that numbers the change log; its row lock serialises numbering with commits. */
export const syncCounter = pgTable('sync_counter', {
  id: integer('id').primaryKey(),
  n: bigint('n', { mode: 'number' }).notNull(),
});

/**
 * The merged current state of every synced row, with the clock of each column. Clocks are kept
 * compact (see sync-clocks.ts): `hlc` is the clock most columns share and `clocks` holds the columns
 * whose clock differs; with `hlc` null, `clocks` holds every column's (rows written before 0009).
 */
export const syncRows = pgTable(
  'sync_rows',
  {
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    patientId: text('patient_id'),
    data: jsonb('data').notNull(),
    clocks: jsonb('clocks').notNull(),
    hlc: text('hlc'),
    serverSeq: bigint('server_seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.entity, t.entityId] }), index('sync_rows_patient_idx').on(t.patientId)],
);

/** The change log devices pull from, in server-sequence order. Clocks are compact, as in sync_rows. */
export const syncChanges = pgTable(
  'sync_changes',
  {
    serverSeq: bigint('server_seq', { mode: 'number' }).primaryKey(),
    deviceId: text('device_id'),
    deviceSeq: bigint('device_seq', { mode: 'number' }),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    patientId: text('patient_id'),
    op: text('op').notNull(),
    fields: jsonb('fields').notNull(),
    clocks: jsonb('clocks').notNull(),
    hlc: text('hlc'),
    authorId: text('author_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sync_changes_device_uq').on(t.deviceId, t.deviceSeq)],
);

/** Mutations the server refused, kept so a repeated push gets the same answer. */
export const syncRejections = pgTable(
  'sync_rejections',
  {
    deviceId: text('device_id').notNull(),
    deviceSeq: bigint('device_seq', { mode: 'number' }).notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    mutation: jsonb('mutation').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.deviceSeq] })],
);

/** Audit entries from every device, append-only, each device's hash chain kept intact. */
export const auditEntries = pgTable(
  'audit_entries',
  {
    deviceId: text('device_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: text('at').notNull(),
    userId: text('user_id'),
    action: text('action').notNull(),
    patientId: text('patient_id'),
    recordType: text('record_type'),
    recordId: text('record_id'),
    detail: text('detail'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    chainOk: boolean('chain_ok').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.seq] }), index('audit_entries_patient_idx').on(t.patientId, t.at)],
);

/**
 * FHIR API clients (OAuth2 client credentials), issued by the clinic administrator with
 * `cairn server fhir-client add`. The secret is stored only as an scrypt hash.
 */
export const fhirClients = pgTable('fhir_clients', {
  clientId: text('client_id').primaryKey(),
  name: text('name').notNull(),
  /** `scrypt$N$r$p$salt$hash` (base64url parts). */
  secretHash: text('secret_hash').notNull(),
  /** Space-separated SMART v2 scopes the client may ask for, e.g. `system/*.read`. */
  scopes: text('scopes').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/**
 * Access tokens issued to FHIR clients: opaque, stored only as a SHA-256 hash, with an expiry. Kept in
 * the database (not signed and stateless) so a revoked client is refused at once by every server
 * process sharing the database, with no signing key to keep and rotate.
 */
export const fhirTokens = pgTable(
  'fhir_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    clientId: text('client_id').notNull(),
    scopes: text('scopes').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('fhir_tokens_client_idx').on(t.clientId), index('fhir_tokens_expires_idx').on(t.expiresAt)],
);

/** Bulk Data `$export` requests: kicked off, worked in the background, polled, cancelled. */
export const fhirExportJobs = pgTable('fhir_export_jobs', {
  id: text('id').primaryKey(),
  clientId: text('client_id').notNull(),
  /** The kick-off request URL (the manifest's `request`). */
  request: text('request').notNull(),
  /** system | patient */
  level: text('level').notNull(),
  types: text('types').notNull(),
  since: text('since'),
  /** in-progress | complete | error | cancelled */
  status: text('status').notNull(),
  progress: integer('progress').notNull().default(0),
  error: text('error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** The NDJSON files of an export, kept in the database so any server process can serve them. */
export const fhirExportFiles = pgTable(
  'fhir_export_files',
  {
    jobId: text('job_id').notNull(),
    idx: integer('idx').notNull(),
    resourceType: text('resource_type').notNull(),
    count: integer('count').notNull(),
    body: text('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.idx] })],
);

/**
 * Every request to the FHIR API (PHI read by another system): which client, when, what it asked
 * and how it was answered. Append-only, as the device audit is.
 */
export const fhirAccessLog = pgTable(
  'fhir_access_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Null when the request carried no valid token (a refused attempt is logged too). */
    clientId: text('client_id'),
    method: text('method').notNull(),
    path: text('path').notNull(),
    query: text('query'),
    status: integer('status').notNull(),
    /** Resources in the answer (a read: 1; a search: the page's entries), when known. */
    resources: integer('resources'),
  },
  (t) => [index('fhir_access_log_client_idx').on(t.clientId, t.at)],
);

// The patient portal (electron/server/portal). Its accounts are not staff accounts: a separate realm.

/** A patient's (or a proxy's) portal account. The password is hashed as staff passwords are (scrypt). */
export const portalAccounts = pgTable('portal_accounts', {
  id: text('id').primaryKey(),
  /** The sign-in name: an email address, stored lower-case. */
  username: text('username').notNull().unique(),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  /** Base32 TOTP secret once the second factor is confirmed; pending until then. */
  totpSecret: text('totp_secret'),
  totpPending: text('totp_pending'),
  /** en | es */
  language: text('language').notNull().default('en'),
  failures: integer('failures').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});

/** Which charts an account may see: its own (self) and its children's (proxy), each from one invitation. */
export const portalLinks = pgTable(
  'portal_links',
  {
    accountId: text('account_id').notNull(),
    patientId: text('patient_id').notNull(),
    /** self | proxy */
    kind: text('kind').notNull(),
    inviteId: text('invite_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.patientId] }), index('portal_links_patient_idx').on(t.patientId)],
);

/** Portal sessions: the cookie's token and its CSRF token, stored only as SHA-256 hashes. */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: text('account_id').notNull(),
    csrfHash: text('csrf_hash').notNull(),
    /** False until the second factor is entered (accounts with TOTP). */
    verified: boolean('verified').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('portal_sessions_account_idx').on(t.accountId)],
);

/** Fixed-window rate limits (sign-in, registration, code entry), per IP and per account, shared by every server process. */
export const portalRateLimits = pgTable('portal_rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});

/** Notifications sent (or failed), once each: `ref` names what it was for (a message, a result, a visit). */
export const portalNotifications = pgTable('portal_notifications', {
  ref: text('ref').primaryKey(),
  accountId: text('account_id').notNull(),
  kind: text('kind').notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  error: text('error'),
});

/**
 * The head of the portal's audit chain (audit_entries, device_id 'portal'): its row lock orders the
 * portal's entries across server processes.
 */
export const portalAuditHead = pgTable('portal_audit_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

/** PostgreSQL's byte array (drizzle has no built-in bytea column). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * The bytes of documents (electron/server/documents), in the chunks devices upload them in
 * (DOCUMENT_CHUNK_BYTES each, the last shorter). The document's row (its size, chunk count and
 * SHA-256) is a synced `document` in sync_rows; a chunk is only taken for a row already there. Each
 * chunk's own SHA-256 is kept so a resumed upload and every download can be checked.
 */
export const documentChunks = pgTable(
  'document_chunks',
  {
    documentId: text('document_id').notNull(),
    idx: integer('idx').notNull(),
    data: bytea('data').notNull(),
    sha256: text('sha256').notNull(),
    /** The device that sent it (who uploaded is also in the device's audit chain). */
    deviceId: text('device_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.idx] })],
);
