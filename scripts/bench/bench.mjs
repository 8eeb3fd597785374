#!/usr/bin/env node
/**
 * `npm run bench`: in one run, on the same images and model files, measures the ORT ceiling
 * (inference on pre-built tensors), zeroshift end to end with a cold cache, transformers.js end
 * to end, zeroshift over the warm cache with another prompt set, and each one's peak RSS.
 * Writes benchmarks/bench-results.json and prints a table. Each phase runs in its own process.
 *
 *   npm run bench -- [--configs tiny-png,tiny-q8,vitb32-jpeg] [--n-tiny 2048] [--n-vit 256]
 *                    [--threads N] [--no-transformers] [--out FILE]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { imagenetLikeJpegs, shapesPngs } from './images.mjs';
import { formatTable } from './table.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: flags } = parseArgs({
  options: {
    configs: { type: 'string', default: 'tiny-png,tiny-q8,vitb32-jpeg' },
    'n-tiny': { type: 'string', default: '2048' },
    'n-vit': { type: 'string', default: '256' },
    threads: { type: 'string' },
    'no-transformers': { type: 'boolean', default: false },
    work: { type: 'string', default: join(ROOT, 'benchmarks', 'generated', 'bench') },
    out: { type: 'string', default: join(ROOT, 'benchmarks', 'bench-results.json') },
  },
});

const VIT_DIR = join(ROOT, 'benchmarks', 'generated', 'vit-b32-shaped');
const CONFIGS = {
  'tiny-png': { model: join(ROOT, 'models', 'tiny-clip-shapes'), dtype: 'fp32', size: 64, batchSize: 64, images: 'png', n: Number(flags['n-tiny']) },
  'tiny-q8': { model: join(ROOT, 'models', 'tiny-clip-shapes'), dtype: 'q8', size: 64, batchSize: 64, images: 'png', n: Number(flags['n-tiny']) },
  'vitb32-jpeg': { model: VIT_DIR, dtype: 'fp32', size: 224, batchSize: 32, images: 'jpeg', n: Number(flags['n-vit']) },
};

function phase(name, args) {
  const stdout = execFileSync(process.execPath, [join(ROOT, 'scripts', 'bench', 'runPhase.mjs'), name, JSON.stringify(args)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

async function runConfig(name) {
  const c = CONFIGS[name];
  if (!c) throw new Error(`unknown config ${name}; known: ${Object.keys(CONFIGS).join(', ')}`);
  if (c.model === VIT_DIR) execFileSync(process.execPath, [join(ROOT, 'scripts', 'makeVitB32.mjs')], { stdio: 'inherit' });
  const images = c.images === 'png' ? await shapesPngs(flags.work, c.n) : await imagenetLikeJpegs(flags.work, c.n);
  const run = join(flags.work, `run-${name}`);
  rmSync(run, { recursive: true, force: true });
  const threads = flags.threads ? Number(flags.threads) : undefined;
  const common = { model: c.model, dtype: c.dtype, batchSize: c.batchSize, threads };
  const zs = { ...common, images, cacheDir: join(run, 'cache') };
  process.stderr.write(`${name}: ${c.n} ${c.images} images, ${c.dtype}, batch ${c.batchSize}\n`);
  const ceilingBefore = phase('ceiling', { ...common, size: c.size, n: c.n });
  const cold = phase('zeroshift', { ...zs, out: join(run, 'cold') });
  const tf = flags['no-transformers'] ? null : phase('transformers', { ...common, images });
  const warm = phase('zeroshift', { ...zs, out: join(run, 'warm'), templates: ['a drawing of a {}.'] });
  const ceilingAfter = phase('ceiling', { ...common, size: c.size, n: c.n });
  const ceilingRate = (ceilingBefore.imagesPerSecond + ceilingAfter.imagesPerSecond) / 2;
  return {
    config: name, model: c.model.slice(ROOT.length + 1), dtype: c.dtype, images: c.n, format: c.images, batchSize: c.batchSize,
    ceiling: { before: ceilingBefore, after: ceilingAfter, imagesPerSecond: ceilingRate },
    zeroshiftCold: cold, transformersJs: tf, zeroshiftWarm: warm,
    ratios: {
      streamVsCeiling: cold.unitImagesPerSecond / ceilingRate,
      wallVsCeiling: cold.imagesPerSecond / ceilingRate,
      vsTransformersJs: tf ? cold.imagesPerSecond / tf.imagesPerSecond : null,
      warmSpeedupStream: cold.unitSeconds / warm.unitSeconds,
      warmSpeedupWall: cold.seconds / warm.seconds,
    },
  };
}

const started = new Date().toISOString();
const load = [loadavg()[0]];
const results = [];
for (const name of flags.configs.split(',')) results.push(await runConfig(name.trim()));
load.push(loadavg()[0]);
const report = {
  kind: 'zeroshift-bench', startedAt: started, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length,
  loadAverage: { before: load[0], after: load[1] }, threads: flags.threads ? Number(flags.threads) : 'ort-default', results,
};
mkdirSync(dirname(flags.out), { recursive: true });
writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(formatTable(report));
console.log(`\nwritten ${flags.out}`);
