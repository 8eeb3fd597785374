import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import buildDist from '../globalSetup.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Integration runs: install the Debian packages the tests use (as root, with apt; otherwise the
 * error names the command), then build dist/ once as the unit tests do.
 */
export default function setup(): void {
  const prereqs = spawnSync('bash', [join(ROOT, 'scripts', 'integration-prereqs.sh')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (prereqs.status !== 0) throw new Error(`integration prerequisites missing:\n${prereqs.stderr}`);
  buildDist();
}
