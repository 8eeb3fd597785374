import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cli } from '../helpers/cli.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

/**
 * Every `$ zeroshift …` line in every command's --help runs as written, offline, in a fresh
 * directory (examples that need your own model or data are listed without the `$`). The order
 * matters: the report and merge examples read what the eval examples wrote.
 */
const COMMANDS: string[][] = [['eval'], ['merge'], ['compare-prompts'], ['report'], ['compare'], ['classify'], ['embed'], ['datasets'], ['datasets', 'show'], ['prepare'], ['models'], ['verify'], ['cache'], ['cache', 'verify'], ['cache', 'compact']];

/** Splits a shell-like line into arguments (double and single quotes, no escapes). */
function shellWords(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** The `$ zeroshift` lines of a help text, without trailing `# comments`. */
function helpExamples(help: string): string[][] {
  return help.split('\n').map((l) => /^\s+\$ zeroshift (.*)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined)
    .map((l) => shellWords(l.replace(/\s+#.*$/, '')));
}

let cwd = '';
const before = { cwd: process.cwd(), cache: process.env.ZEROSHIFT_CACHE_DIR, data: process.env.ZEROSHIFT_DATA_DIR };
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'zs-examples-'));
  // The images the classify and embed examples name.
  const colours = ['#d03030', '#3050d0', '#30b050', '#e0c020'];
  for (const [i, f] of ['photo.jpg', 'a.png', 'b.png', 'scan.jpg'].entries()) {
    await sharp({ create: { width: 64, height: 48, channels: 3, background: colours[i] } }).toFile(join(cwd, f));
  }
  process.env.ZEROSHIFT_CACHE_DIR = join(cwd, '.cache');
  process.env.ZEROSHIFT_DATA_DIR = join(cwd, '.data');
  process.chdir(cwd);
});
afterAll(() => {
  process.chdir(before.cwd);
  if (before.cache === undefined) delete process.env.ZEROSHIFT_CACHE_DIR;
  else process.env.ZEROSHIFT_CACHE_DIR = before.cache;
  if (before.data === undefined) delete process.env.ZEROSHIFT_DATA_DIR;
  else process.env.ZEROSHIFT_DATA_DIR = before.data;
});

describe('help examples', () => {
  it('splits example lines like a shell', () => {
    expect(shellWords(`report results --title "ImageNet shifts" -o 'a b'`)).toEqual(['report', 'results', '--title', 'ImageNet shifts', '-o', 'a b']);
    expect(helpExamples('Examples:\n  $ zeroshift eval --n 5   # note\n  zeroshift eval --model ./mine\n')).toEqual([['eval', '--n', '5']]);
  });

  it('every command has runnable examples, and each runs offline as written', async () => {
    const failures: string[] = [];
    for (const path of COMMANDS) {
      const help = await cli([...path, '--help']);
      const examples = helpExamples(help.stdout);
      if (examples.length === 0) failures.push(`${path.join(' ')}: no runnable example in --help`);
      for (const args of examples) {
        const r = await cli([...args, '--no-progress'].filter((a, i, all) => a !== '--no-progress' || ['eval', 'compare-prompts'].includes(all[0])));
        if (r.code !== 0) failures.push(`zeroshift ${args.join(' ')} → exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
      }
    }
    expect(failures).toEqual([]);
  }, 900_000);
});

/**
 * The README's `npx zeroshift …` example lines that run offline as written: those naming no
 * path outside the package (`./model`, `/data/...`) and downloading nothing (`prepare` without
 * --offline, or a model from the Hugging Face Hub: `hf:`).
 */
async function readmeOfflineExamples(): Promise<string[][]> {
  const readme = await readFile(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  return readme.split('\n').map((l) => /^npx zeroshift (.*)$/.exec(l.trim())?.[1]).filter((l): l is string => l !== undefined)
    .filter((l) => !/(^|\s)(\.\/|\/|~)/.test(l) && !l.includes('&&') && !(l.startsWith('prepare') && !l.includes('--offline')) && !/(^|\s)hf:/.test(l))
    .map((l) => shellWords(l.replace(/\s+#.*$/, '')));
}

describe('README examples', () => {
  it('the offline ones run as written', async () => {
    process.chdir(await mkdtemp(join(tmpdir(), 'zs-readme-')));
    const examples = await readmeOfflineExamples();
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const failures: string[] = [];
    for (const args of examples) {
      const r = await cli(args);
      if (r.code !== 0) failures.push(`npx zeroshift ${args.join(' ')} → exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
