import { defineConfig } from 'vitest/config';

// Unit and HTTP tests only: browser tests (test/e2e) and the benchmark (test/bench) run separately.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/bench/**', 'node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
