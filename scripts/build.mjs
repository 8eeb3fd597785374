#!/usr/bin/env node
// Builds dist/ with tsc and marks the CLI entry point executable. tsc writes every output file with
// the default mode (0644 under the usual umask), so without the chmod `npx zeroshift` fails with
// "Permission denied" after any rebuild. `--incremental` keeps dist/ and its build info (the test
// run's globalSetup); without it dist/ is removed first so no stale output survives a rename.
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const incremental = process.argv.includes('--incremental');
const dist = join(ROOT, 'dist');
if (!incremental) rmSync(dist, { recursive: true, force: true });
const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const args = [tsc, '-p', join(ROOT, 'tsconfig.json')];
if (incremental) args.push('--incremental', '--tsBuildInfoFile', join(dist, '.tsbuildinfo'), '--pretty', 'false');
const build = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const main = join(dist, 'cli', 'main.js');
// Add execute wherever read is allowed (0644 -> 0755), as `chmod +x` would under a 022 umask.
const mode = statSync(main).mode & 0o777;
chmodSync(main, mode | ((mode & 0o444) >> 2));
