import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/dist.js';

describe('npm run build', () => {
  // A real `npm run build` in a copy of the checkout: the worktree's own dist/ is shared by the
  // other test files running at the same time, and the build starts by removing dist/.
  it('leaves dist/cli/main.js executable, so the bin runs straight after a rebuild', () => {
    const copy = mkdtempSync(join(tmpdir(), 'zs-build-'));
    for (const f of ['package.json', 'tsconfig.json', 'src']) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    mkdirSync(join(copy, 'scripts'));
    cpSync(join(ROOT, 'scripts', 'build.mjs'), join(copy, 'scripts', 'build.mjs'));
    // What the CLI reads beside dist/ at start-up (the built-in model list, prompt sets).
    for (const f of ['node_modules', 'models', 'prompts', 'data']) symlinkSync(join(ROOT, f), join(copy, f));
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: copy, encoding: 'utf8' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const main = join(copy, 'dist', 'cli', 'main.js');
    expect(statSync(main).mode & 0o111).toBe(0o111);
    // Executed as a program (its shebang), the way npx and the package's bin link start it.
    const run = spawnSync(main, ['--version'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 240_000);
});
