import { integer, text } from 'drizzle-orm/sqlite-core';

/**
 * Every clinical row: a UUIDv7 id made on the device, created/updated by and at, a soft-delete
 * marker, and a version for optimistic concurrency and sync. Timestamps are UTC ISO-8601 text.
 * Not a table: index.ts does not re-export it, so drizzle-kit sees only the tables.
 */
export const audited = {
  id: text('id').notNull(),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  updatedAt: text('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  deletedAt: text('deleted_at'),
  deletedBy: text('deleted_by'),
  version: integer('version').notNull().default(1),
};
