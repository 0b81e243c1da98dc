/**
 * Runs before any other module of the staff app and of the portal, zod included: it is each entry's
 * first import and is built as a chunk of its own (electron.vite.config.ts, manualChunks), so it is
 * evaluated before the chunk the two apps share. It must import nothing.
 *
 * Important: zod compiles fast parsers with `new Function` when it can, probing once as the first
 * object schema is built; under the portal's CSP (no 'unsafe-eval') the probe is refused and
 * reported as a CSP violation. The app's CSP has no 'unsafe-eval' either. zod reads its settings from
 * this global, so jitless parsing (plenty fast for a screen's forms) is chosen before the probe could run.
 */
const g = globalThis as { __zod_globalConfig?: Record<string, unknown> };
g.__zod_globalConfig = { ...g.__zod_globalConfig, jitless: true };

export {};
