#!/usr/bin/env node
/**
 * `npm run bench`: in one run, on the same images and model files, measures the ORT ceiling
 * (inference on pre-built tensors), zeroshift end to end with a cold cache, transformers.js end
 * to end, zeroshift over the warm cache with another prompt set, and each one's peak RSS.
 * Writes benchmarks/generated/bench-results.json (untracked; --out benchmarks/bench-results.json
 * to update the committed one) and prints a table. Each phase runs in its own process. Naming any
 * of --configs, --process or --pipeline runs only what is named; --plan prints the plan and exits.
 *
 *   npm run bench -- [--configs tiny-png,tiny-q8,vitb32-jpeg|none] [--n-tiny 2048] [--n-vit 256]
 *                    [--process multi-model,default-suite,startup|none] [--n-multi 1280] [--repeats 3] [--suite-n N]
 *                    [--baseline DIR] [--threads N] [--no-transformers] [--out FILE]
 *                    [--pipeline 0,1,2,4,8,16 [--shift fog:3]]
 *
 * --process adds whole-process cases (processBench.mjs); --baseline DIR (another checkout, e.g.
 * a worktree of the commit before a change) runs them interleaved with this one, so before and
 * after come from the same run. --pipeline LIST measures the image pipeline alone (inference
 * off) on the ViT-B/32-shaped JPEGs at each number of decode workers (e.g. 0,1,2,4,8,16).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { imagenetLikeJpegs, shapesPngs } from './images.mjs';
import { formatTable, formatProcess } from './table.mjs';
import { benchTargets, formatTargets } from './targets.mjs';
import { multiModel, defaultSuite, startup, ensureBuilt } from './processBench.mjs';
import { benchPlan } from './benchPlan.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: flags } = parseArgs({
  options: {
    configs: { type: 'string' },
    'n-tiny': { type: 'string', default: '2048' },
    'n-vit': { type: 'string', default: '256' },
    threads: { type: 'string', default: 'auto' },
    'decode-workers': { type: 'string', default: 'auto' },
    'no-transformers': { type: 'boolean', default: false },
    process: { type: 'string' },
    'n-multi': { type: 'string', default: '1280' },
    repeats: { type: 'string', default: '3' },
    'suite-n': { type: 'string' },
    pipeline: { type: 'string' },
    shift: { type: 'string', default: '' },
    baseline: { type: 'string' },
    work: { type: 'string', default: join(ROOT, 'benchmarks', 'generated', 'bench') },
    out: { type: 'string' },
    plan: { type: 'boolean', default: false },
  },
});
const plan = benchPlan(flags, ROOT);
if (flags.plan) {
  process.stdout.write(`${JSON.stringify(plan)}\n`);
  process.exit(0);
}

// The CLI's own resolution of --threads and --decode-workers (auto: one ORT thread per physical
// core, workers on the CPUs left), so the bench measures what `zeroshift eval` does by default.
const { resolveParallelism } = await import(join(ROOT, 'dist', 'cli', 'modelOptions.js'));
const parallel = resolveParallelism({ threads: flags.threads, decodeWorkers: flags['decode-workers'] });
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
  const common = { model: c.model, dtype: c.dtype, batchSize: c.batchSize, threads: parallel.threads };
  const zs = { ...common, images, cacheDir: join(run, 'cache'), decodeWorkers: parallel.decodeWorkers };
  process.stderr.write(`${name}: ${c.n} ${c.images} images, ${c.dtype}, batch ${c.batchSize}\n`);
  const ceilingBefore = phase('ceiling', { ...common, size: c.size, n: c.n });
  const cold = phase('zeroshift', { ...zs, out: join(run, 'cold') });
  // transformers.js as its users run it: ONNX Runtime's default threads.
  const tf = flags['no-transformers'] ? null : phase('transformers', { ...common, threads: undefined, images });
  const warm = phase('zeroshift', { ...zs, out: join(run, 'warm'), templates: ['a drawing of a {}.'] });
  const ceilingAfter = phase('ceiling', { ...common, size: c.size, n: c.n });
  // zeroshift's pool threads do not spin-wait (src/model/onnxTower.ts); ONNX Runtime's own
  // default does. The ceiling is the faster of the two, so turning spinning off cannot make a
  // ratio look better by slowing the ceiling.
  const ceilingSpinning = phase('ceiling', { ...common, size: c.size, n: c.n, spinWait: true });
  // The same cold run with spinning pool threads, so each run shows what the default buys.
  const coldSpinning = phase('zeroshift', { ...zs, out: join(run, 'cold-spinning'), cacheDir: join(run, 'cache-spinning'), spinWait: true });
  const ceilingRate = Math.max((ceilingBefore.imagesPerSecond + ceilingAfter.imagesPerSecond) / 2, ceilingSpinning.imagesPerSecond);
  return {
    config: name, model: c.model.slice(ROOT.length + 1), dtype: c.dtype, images: c.n, format: c.images, batchSize: c.batchSize,
    ceiling: { before: ceilingBefore, after: ceilingAfter, spinning: ceilingSpinning, imagesPerSecond: ceilingRate },
    zeroshiftCold: cold, zeroshiftColdSpinning: coldSpinning, transformersJs: tf, zeroshiftWarm: warm,
    ratios: {
      streamVsCeiling: cold.unitImagesPerSecond / ceilingRate,
      spinningStreamVsCeiling: coldSpinning.unitImagesPerSecond / ceilingRate,
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
for (const name of plan.configs) results.push(await runConfig(name));
load.push(loadavg()[0]);
const processCases = plan.process;
const checkouts = [{ name: 'this', dir: ROOT }, ...(flags.baseline ? [{ name: 'baseline', dir: flags.baseline }] : [])];
if (flags.baseline) ensureBuilt(flags.baseline);
const common = { root: ROOT, checkouts, repeats: Number(flags.repeats), threads: parallel.threads, work: flags.work };
const processResults = {};
for (const c of processCases) {
  process.stderr.write(`${c}: ${flags.repeats} repeat(s)${flags.baseline ? `, interleaved with ${flags.baseline}` : ''}\n`);
  if (c === 'multi-model') processResults.multiModel = { images: Number(flags['n-multi']), ...multiModel({ ...common, transformers: !flags['no-transformers'], images: await shapesPngs(flags.work, Number(flags['n-multi'])) }) };
  else if (c === 'default-suite') processResults.defaultSuite = { n: flags['suite-n'] ? Number(flags['suite-n']) : 'suite default (200)', ...defaultSuite({ ...common, suiteN: flags['suite-n'] ? Number(flags['suite-n']) : undefined }) };
  else if (c === 'startup') processResults.startup = startup({ ...common, repeats: Math.max(5, common.repeats) });
  else throw new Error(`unknown --process case ${c}; known: multi-model, default-suite, startup`);
  load.push(loadavg()[0]);
}
const pipeline = [];
if (plan.pipeline.length > 0) {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'makeVitB32.mjs')], { stdio: 'inherit' });
  const images = await imagenetLikeJpegs(flags.work, Number(flags['n-vit']));
  for (const w of plan.pipeline) {
    process.stderr.write(`pipeline: ${w} decode worker(s)${flags.shift ? `, ${flags.shift}` : ''}\n`);
    pipeline.push(phase('pipeline', { model: VIT_DIR, images, batchSize: 32, decodeWorkers: w, shifts: flags.shift ? flags.shift.split(',') : [] }));
  }
  load.push(loadavg()[0]);
}
const report = {
  kind: 'zeroshift-bench', startedAt: started, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length,
  loadAverage: { before: load[0], after: load.at(-1), samples: load }, threads: parallel.threads === 0 ? 'ort-default' : parallel.threads, decodeWorkers: parallel.decodeWorkers, results,
  process: processResults, baseline: flags.baseline ?? null, pipeline,
};
report.targets = benchTargets(report);
mkdirSync(dirname(plan.out), { recursive: true });
writeFileSync(plan.out, `${JSON.stringify(report, null, 2)}\n`);
if (results.length > 0) console.log(formatTable(report));
if (processCases.length > 0) console.log(`\n${formatProcess(report)}`);
if (pipeline.length > 0) {
  console.log('\n| decode workers | pipeline img/s (inference off) | × 0 workers | peak RSS MB |\n|---|---|---|---|');
  for (const p of pipeline) console.log(`| ${p.decodeWorkers} | ${p.imagesPerSecond.toFixed(1)} | ${(p.imagesPerSecond / pipeline[0].imagesPerSecond).toFixed(2)} | ${Math.round(p.peakRssMB)} |`);
}
console.log(`\nTargets (issue 30; ratios within this run):\n\n${formatTargets(report)}`);
console.log(`\nwritten ${plan.out}`);
