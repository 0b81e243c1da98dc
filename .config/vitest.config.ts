import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // e2e and CLI tests start processes and a browser: keep files from starving each other on 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
