import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // External systems (Slurm, Debian datasets, the packed tarball) run in `npm run test:integration`.
    exclude: [...configDefaults.exclude, 'test/integration/**'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: forks keep native addons (onnxruntime, sharp) isolated per file.
    pool: 'forks',
    maxWorkers: 2,
  },
});
