import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup/no-network.ts'],
    // End-to-end tests start real programs and wait on real sockets.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
