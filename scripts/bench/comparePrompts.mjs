/**
 * compare-prompts, cold then warm: the same command twice over the same PNG folder with a fresh
 * cache. The first run embeds every image and every prompt; the second finds both in the cache.
 * Each run is a separate `zeroshift` process, timed from spawn to exit (wall), and its own
 * reported stream time. Usage (after `npm run build`):
 *   node scripts/bench/comparePrompts.mjs [--n 2000] [--model DIR] [--images png|jpeg] [--out FILE]
 * With `--images jpeg` the images are ImageNet-sized JPEGs (for the ViT-B/32-shaped model made by
 * scripts/makeVitB32.mjs: `--model benchmarks/generated/vit-b32-shaped`).
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { shapesPngs, imagenetLikeJpegs } from './images.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const n = Number(flag('--n', '2000'));
const out = flag('--out', 'benchmarks/compare-prompts-results.json');
const model = flag('--model', 'tiny-clip-shapes');
const images = flag('--images', 'png');

const root = mkdtempSync(join(tmpdir(), 'zs-bench-cp-'));
const dir = images === 'jpeg' ? await imagenetLikeJpegs(root, n) : await shapesPngs(root, n);
const cache = join(root, 'cache');
const cli = ['dist/cli/main.js', 'compare-prompts', '--model', model, '--dataset', `folder:${dir}`, '--prompts', 'shapes-shape', '--prompts', 'shapes-photo', '--prompts', 'shapes-plain', '--cache-dir', cache, '--out', join(root, 'results'), '--json', '--no-progress'];

function run(label) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, cli, { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${label} run failed: ${r.stderr}`);
  const ranking = JSON.parse(r.stdout);
  return { seconds, ranking };
}

const cold = run('cold');
const warm = run('warm');
const same = JSON.stringify(cold.ranking) === JSON.stringify(warm.ranking);
const result = {
  kind: 'zeroshift-bench-compare-prompts', date: new Date().toISOString(), node: process.version, cores: cpus().length, cpu: cpus()[0]?.model,
  model, imageFormat: images, images: n, promptSets: 3, coldSeconds: cold.seconds, warmSeconds: warm.seconds, speedup: cold.seconds / warm.seconds, identicalRanking: same,
};
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`compare-prompts (${model}) over ${n} ${images.toUpperCase()}s, 3 prompt sets: cold ${cold.seconds.toFixed(2)} s, warm ${warm.seconds.toFixed(2)} s → ${result.speedup.toFixed(1)}× (rankings identical: ${same})`);
rmSync(root, { recursive: true, force: true });
