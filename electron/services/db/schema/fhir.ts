import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Where imported FHIR rows came from (local only).

/**
 * Where an imported row came from (local only, never synced): re-importing a FHIR resource with the
 * same content hash is skipped; a changed hash updates the row it made.
 */
export const fhirImportSources = sqliteTable(
  'fhir_import_sources',
  {
    /** The bundle entry's fullUrl (or the resource's system), for the record. */
    source: text('source').notNull(),
    resourceType: text('resource_type').notNull(),
    sourceId: text('source_id').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    contentHash: text('content_hash').notNull(),
    importedAt: text('imported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.resourceType, t.sourceId] }), index('fhir_import_sources_entity_idx').on(t.entityId)],
);
