/**
 * Runs before any other module of the portal, zod included: it is the entry's first import and is
 * built as a chunk of its own (electron.vite.config.ts, manualChunks), so it is evaluated before the
 * chunk the portal shares with the staff app. It must import nothing.
 *
 * Important: zod compiles fast parsers with `new Function` when it can, probing once as the first
 * object schema is built; under the portal's CSP (no 'unsafe-eval') the probe is refused and
 * reported as a CSP violation. zod reads its settings from this global, so jitless parsing (plenty
 * fast for a patient's forms) is chosen before the probe could run.
 */
const g = globalThis as { __zod_globalConfig?: Record<string, unknown> };
g.__zod_globalConfig = { ...g.__zod_globalConfig, jitless: true };

export {};
