import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup/no-network.ts'],
    // End-to-end tests start real programs and wait on real sockets.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Each concurrent test of the end-to-end files grades a submission: a grader, its worker and the
    // student's programs. More at once than this oversubscribes two cores several times over, and
    // a program that is given 10 s to listen may then not get 10 s of the machine.
    maxConcurrency: 3,
  },
});
