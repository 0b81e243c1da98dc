/**
 * The client (device) schema, one file per area. drizzle-kit reads this folder (.config/drizzle.config.ts)
 * and turns it into SQL under resources/migrations/client; the SQL is applied at run time after the key
 * is set (drizzle-kit cannot open an encrypted file). Code imports the tables from here.
 */
export * from './security';
export * from './patients';
export * from './charting';
export * from './meds';
export * from './labs';
export * from './schedule';
export * from './sync';
export * from './fhir';
export * from './billing';
export * from './portal';
export * from './records';
