import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // chDB binds one data directory per process; isolate test files in forks.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
