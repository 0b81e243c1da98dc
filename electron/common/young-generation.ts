/**
 * How large V8's young generation may grow in Cairn's processes: the clinic server, the desktop
 * app and its sync worker. A push or pull batch is a few MB of JSON parsed into short-lived objects;
 * with V8's default (16 MB semi-spaces) much of a batch outlives a scavenge and is copied and
 * promoted before it dies. At 32 MB the same catch-up push of 10,000 changes on one machine ran
 * about 20–30% faster (README, "Benchmarks"). It costs at most two more 16 MB semi-spaces per busy
 * process, and only while they are in use.
 */
export const SEMI_SPACE_MB = 32;

/** The node/V8 flag (node's command line, Electron's `js-flags`). */
export const SEMI_SPACE_FLAG = `--max-semi-space-size=${SEMI_SPACE_MB}`;

/** The same for a worker thread (`resourceLimits.maxYoungGenerationSizeMb`: three semi-spaces). */
export const WORKER_YOUNG_GENERATION_MB = 3 * SEMI_SPACE_MB;
