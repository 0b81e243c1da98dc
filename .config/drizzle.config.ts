import { defineConfig } from 'drizzle-kit';

// Generates SQL only; it is applied at run time once the key is set (see electron/services/db/open.ts).
export default defineConfig({
  dialect: 'sqlite',
  schema: './electron/services/db/schema',
  out: './resources/migrations/client',
});
