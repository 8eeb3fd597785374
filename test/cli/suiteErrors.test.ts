import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'zs-suite-errors-'));

/** Writes a suite (text as given, or a JSON object) and runs `eval --suite` on it. */
async function evalSuite(name: string, body: string | Record<string, unknown>): Promise<{ file: string; code: number; stderr: string }> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  const r = await cli(['eval', '--suite', file, '--out', join(dir, 'out'), '--cache-dir', join(dir, 'cache'), '--no-progress']);
  return { file, code: r.code, stderr: r.stderr };
}

const base = { schemaVersion: 1, name: 'bad', models: ['tiny-clip-shapes'], datasets: [{ spec: 'shapes:standard?n=4' }] };

/**
 * Every error found while loading or validating a suite names the suite file (a user with
 * several suites could not tell which one held "unknown corruption 'fogg'"), exits 2 before
 * any work, and keeps its "did you mean".
 */
describe('suite errors name the suite file', () => {
  const cases: [string, string | Record<string, unknown>, RegExp][] = [
    ['bad-json', '{"schemaVersion": 1,', /: not valid JSON/],
    ['schema', { ...base, datasets: undefined, dataset: [] }, /: key 'datasets': .*expected array/],
    ['unknown-model', { ...base, models: ['tiny-clip-shapez'] }, /: tiny-clip-shapez: model not found; did you mean 'tiny-clip-shapes'\?/],
    ['missing-model-path', { ...base, models: ['./no-such-model'] }, /: \.\/no-such-model: model not found/],
    ['unknown-prompts', { ...base, prompts: ['shapes-shapez'] }, /: unknown prompt set 'shapes-shapez'; did you mean 'shapes-shape'\?/],
    ['prompt-mismatch', { ...base, prompts: ['cifar10'] }, /: prompt set 'cifar10' has 10 class names but dataset 'shapes-standard' has 8 classes/],
    ['unknown-adapter', { ...base, datasets: [{ spec: 'shapez:standard?n=4' }] }, /: unknown dataset adapter 'shapez'; did you mean 'shapes'\?/],
    ['unknown-world', { ...base, datasets: [{ spec: 'shapes:darkk?n=4' }] }, /: unknown shapes domain 'darkk'/],
    ['missing-folder', { ...base, datasets: [{ spec: `folder:${join(dir, 'nothing-here')}` }] }, /: image folder '.*nothing-here' does not exist/],
    ['unknown-family', { ...base, datasets: [{ family: 'shapez' }] }, /: unknown dataset family 'shapez'; did you mean 'shapes'\?/],
    ['unknown-shift', { ...base, datasets: [{ family: 'shapes', variants: ['standard'], options: { n: 4 } }], shifts: { corruptions: ['fogg'], severities: [1] } }, /: unknown corruption 'fogg'; did you mean 'fog'\?/],
    ['bad-variant', { ...base, datasets: [{ family: 'shapes', variants: ['standrad'], options: { n: 4 } }] }, /: family 'shapes' has no variant 'standrad'/],
    ['bad-shift-variant', { ...base, datasets: [{ family: 'shapes', options: { n: 4 } }], shifts: { corruptions: ['fog'], severities: [1], variants: ['standrad'] } }, /: shifts\.variants\[0\] 'standrad' is not a variant/],
    ['bad-option', { ...base, datasets: [{ family: 'shapes', variants: ['dark'], options: { nn: 4 } }] }, /: shapes-dark: unknown shapes option 'nn'/],
  ];
  for (const [name, body, message] of cases) {
    it(name, async () => {
      const r = await evalSuite(name, body);
      expect(r.code, r.stderr).toBe(2);
      const line = r.stderr.split('\n').find((l) => l.startsWith('zeroshift: '));
      expect(line, r.stderr).toBeDefined();
      expect(line!.startsWith(`zeroshift: ${r.file}: `), line).toBe(true);
      expect(line).toMatch(message);
      // Stopped before the start line: nothing was planned to run.
      expect(r.stderr).not.toMatch(/^zeroshift eval: /m);
    });
  }

  it('a --model given on the command line is not blamed on the suite', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(base));
    const r = await cli(['eval', '--suite', file, '-m', 'tiny-clip-shapez', '--out', join(dir, 'out'), '--no-cache', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^zeroshift: tiny-clip-shapez: model not found/m);
  });
});
