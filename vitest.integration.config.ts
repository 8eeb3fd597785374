import { defineConfig } from 'vitest/config';

/**
 * `npm run test:integration`: tests against real external systems (a one-node Slurm cluster,
 * Debian dataset packages, an offline install of the packed tarball). `.ci/run` installs what they
 * need; each test checks its own prerequisites and fails with the command that provides them.
 */
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    globalSetup: ['test/integration/globalSetup.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // One at a time: the Slurm cluster and the packing test each use every core.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
