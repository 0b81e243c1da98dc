import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { audited } from './columns';

// Who may sign in, with which role, and the append-only audit chain of every PHI read and write.

export const roles = sqliteTable('roles', {
  name: text('name').primaryKey(),
  description: text('description').notNull(),
});

export const users = sqliteTable('users', {
  ...audited,
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role')
    .notNull()
    .references(() => roles.name),
  /** `scrypt$N$r$p$salt$hash`, parameters recorded with the hash so they can be raised later. */
  passwordHash: text('password_hash').notNull(),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: text('locked_until'),
  /** A prescriber's National Provider Identifier (10 digits, Luhn-checked), printed on prescriptions. */
  npi: text('npi'),
  /** A prescriber's DEA registration number, printed on prescriptions of controlled substances. */
  dea: text('dea'),
});

/**
 * Append-only audit of every PHI read and write. Each entry holds the hash of the one before
 * (`prev_hash`) so removing or editing an entry breaks the chain.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    userId: text('user_id'),
    deviceId: text('device_id').notNull(),
    action: text('action').notNull(),
    patientId: text('patient_id'),
    recordType: text('record_type'),
    recordId: text('record_id'),
    detail: text('detail'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_patient_idx').on(t.patientId, t.at)],
);
