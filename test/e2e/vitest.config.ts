import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests only (npm run test:e2e builds first): one file at a time in one fork, because each
// file starts the real server and a Chromium, and the machine should not run several at once.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
