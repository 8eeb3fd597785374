#!/usr/bin/env node
/**
 * `npm run bench:soak`: peak resident memory of a zeroshift evaluation of shapes PNGs on disk at
 * two dataset sizes (default 10,000 and 50,000), each in its own process (peak RSS from
 * process.resourceUsage().maxRSS). Memory must stay under 600 MB and not grow with size.
 *
 *   npm run bench:soak -- [--sizes 10000,50000] [--model DIR] [--dtype fp32|q8] [--out FILE]
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { shapesPngs } from './images.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LIMIT_MB = 600;
const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,50000' },
    model: { type: 'string', default: join(ROOT, 'models', 'tiny-clip-shapes') },
    dtype: { type: 'string', default: 'fp32' },
    work: { type: 'string', default: join(ROOT, 'benchmarks', 'generated', 'bench') },
    out: { type: 'string', default: join(ROOT, 'benchmarks', 'soak-results.json') },
    threads: { type: 'string', default: 'auto' },
    'decode-workers': { type: 'string', default: 'auto' },
  },
});
// What `zeroshift eval` would use by default (see bench.mjs).
const { resolveParallelism } = await import(join(ROOT, 'dist', 'cli', 'modelOptions.js'));
const parallel = resolveParallelism({ threads: flags.threads, decodeWorkers: flags['decode-workers'] });

const rows = [];
for (const n of flags.sizes.split(',').map(Number)) {
  process.stderr.write(`soak: writing ${n} PNGs…\n`);
  const images = await shapesPngs(flags.work, n);
  const run = join(flags.work, `soak-${n}`);
  rmSync(run, { recursive: true, force: true });
  process.stderr.write(`soak: evaluating ${n} images…\n`);
  const args = { model: flags.model, dtype: flags.dtype, batchSize: 64, images, out: join(run, 'out'), cacheDir: join(run, 'cache'), ...parallel };
  const stdout = execFileSync(process.execPath, [join(ROOT, 'scripts', 'bench', 'runPhase.mjs'), 'zeroshift', JSON.stringify(args)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(stdout.trim().split('\n').at(-1));
  rows.push({ images: n, peakRssMB: r.peakRssMB, seconds: r.seconds, imagesPerSecond: r.imagesPerSecond, acc1: r.acc1 });
  rmSync(run, { recursive: true, force: true });
}
const peak = Math.max(...rows.map((r) => r.peakRssMB));
const growth = rows.length > 1 ? rows.at(-1).peakRssMB / rows[0].peakRssMB : 1;
const report = { kind: 'zeroshift-soak', cores: cpus().length, ...parallel, node: process.version, model: flags.model.slice(ROOT.length + 1), dtype: flags.dtype, limitMB: LIMIT_MB, rows, peakMB: peak, growth };
writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`);
console.log('| images | peak RSS MB | img/s |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.images} | ${Math.round(r.peakRssMB)} | ${r.imagesPerSecond.toFixed(1)} |`);
console.log(`\npeak ${Math.round(peak)} MB (limit ${LIMIT_MB}), largest/smallest ${growth.toFixed(2)}× → ${peak < LIMIT_MB ? 'within' : 'OVER'} the limit; written ${flags.out}`);
