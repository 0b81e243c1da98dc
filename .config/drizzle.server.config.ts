import { defineConfig } from 'drizzle-kit';

// The clinic server's schema; the SQL is applied at start-up by electron/server/db/open.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './electron/server/db/schema.ts',
  out: './resources/migrations/server',
});
