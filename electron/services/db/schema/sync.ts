import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Sync bookkeeping (outbox, last-known state, conflicts, parked changes) and the device's key/value facts.

// Mutations waiting to be pushed, written in the same transaction as the clinical write.
export const syncOutbox = sqliteTable(
  'sync_outbox',
  {
    deviceId: text('device_id').notNull(),
    seq: integer('seq').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    op: text('op', { enum: ['insert', 'update', 'delete'] }).notNull(),
    /** JSON: the columns this change set (column name → value), as the row holds them. */
    payload: text('payload').notNull(),
    createdAt: text('created_at').notNull(),
    pushedAt: text('pushed_at'),
    quarantinedReason: text('quarantined_reason'),
    /** Hybrid logical clock of the change (orders concurrent field writes). */
    hlc: text('hlc'),
    /** Who made the change: the server checks this user's role. */
    userId: text('user_id'),
    patientId: text('patient_id'),
    /** JSON: the clock of every column as this device saw it when writing. */
    base: text('base'),
    /** Where the server put it in its change log, once acknowledged. */
    serverSeq: integer('server_seq'),
    attempts: integer('attempts').notNull().default(0),
    quarantinedAt: text('quarantined_at'),
  },
  (t) => [uniqueIndex('sync_outbox_pk').on(t.deviceId, t.seq), index('sync_outbox_entity_idx').on(t.entity, t.entityId)],
);

// What this device last knew of each synced row: its values and the clock of each column.
export const syncState = sqliteTable(
  'sync_state',
  {
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    data: text('data').notNull(),
    clocks: text('clocks').notNull(),
  },
  (t) => [uniqueIndex('sync_state_pk').on(t.entity, t.entityId)],
);

/**
 * Two values written to one field while apart (or one person registered twice): both kept, the
 * later one provisionally shown, until a clinician resolves it. Made by the clinic server.
 */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: text('id').primaryKey(),
    /** field | duplicate_patient */
    kind: text('kind').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    patientId: text('patient_id'),
    field: text('field'),
    /** JSON: every value, with its clock, device and author. */
    values: text('values').notNull(),
    /** JSON: the value provisionally shown. */
    winner: text('winner'),
    /** open | resolved | dismissed */
    status: text('status').notNull(),
    createdAt: text('created_at').notNull(),
    resolvedBy: text('resolved_by'),
    resolvedAt: text('resolved_at'),
    resolution: text('resolution'),
    updatedAt: text('updated_at'),
    updatedBy: text('updated_by'),
  },
  (t) => [index('sync_conflicts_status_idx').on(t.status, t.createdAt), index('sync_conflicts_patient_idx').on(t.patientId)],
);

// Pulled changes this version of Cairn cannot apply yet (a newer schema): replayed after an upgrade.
export const syncParked = sqliteTable('sync_parked', {
  serverSeq: integer('server_seq').primaryKey(),
  change: text('change').notNull(),
  reason: text('reason').notNull(),
  parkedAt: text('parked_at').notNull(),
});

// Small key/value facts: device id, clinic name, counters, sync cursors.
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
