import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Builds dist/ once before any test file runs, so tests that start the compiled CLI as a child
 * process (kill/resume, shards, Slurm) all see the current sources and no test compiles on its own.
 * Through scripts/build.mjs, the same build as `npm run build` (which also marks the CLI executable).
 * Incremental (the build info lives in dist/, so deleting dist/ forces a full build); a type error
 * fails the whole run rather than leaving a stale or partial dist/ behind.
 */
export default function setup(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--incremental'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`building dist/ failed (exit ${build.status ?? build.signal}); fix these before running the tests:\n${build.stdout}${build.stderr}`);
  }
}
