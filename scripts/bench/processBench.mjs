/**
 * The whole-process measurements of `npm run bench` (issue 17): 3 models vs 1 on the same PNGs
 * (cold cache), the default suite cold, and start-up (--version, --help, a one-batch eval).
 * Each case runs `repeats` times, interleaved with the baseline checkout when one is given
 * (--baseline DIR: another checkout with dist/ built, e.g. the commit before a change), so
 * before/after ratios come from one run on the same machine and load. Medians are reported.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wall seconds of a child process (spawn to exit); throws with its stderr when it fails. */
function timed(args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { seconds, stdout: r.stdout };
}

/** One runPhase.mjs zeroshift phase as a whole process: its wall time and its own report. */
function zeroshiftProcess(root, args) {
  const { seconds, stdout } = timed([join(root, 'scripts', 'bench', 'runPhase.mjs'), 'zeroshift', JSON.stringify(args)]);
  return { wallSeconds: seconds, ...JSON.parse(stdout.trim().split('\n').at(-1)) };
}

/** Runs `fn(checkout)` for each checkout `repeats` times, interleaved; returns samples per checkout. */
function interleaved(checkouts, repeats, fn) {
  const out = Object.fromEntries(checkouts.map((c) => [c.name, []]));
  for (let i = 0; i < repeats; i++) for (const c of checkouts) out[c.name].push(fn(c, i));
  return out;
}

/**
 * 1 model vs 3 models (tiny-clip-shapes, -robust and the zoo's largest, v96x3-s1000: same
 * preprocessor) on the same PNGs, fresh cache each time, and transformers.js embedding the same
 * PNGs with the first model, each a whole process; targets (issue 30): 3 models ≤ 1.6 × one
 * model, one model ≥ 1.0 × transformers.js (its seconds ÷ ours). transformers.js runs once per
 * repeat, next to this checkout's runs.
 */
export function multiModel({ root, checkouts, images, repeats, threads, work, transformers = true }) {
  const models = [join(root, 'models', 'tiny-clip-shapes'), join(root, 'models', 'tiny-clip-shapes-robust'), join(root, 'models', 'tiny-clip-shapes-zoo', 'v96x3-s1000.json')];
  const runs = interleaved(checkouts, repeats, (c, i) => {
    const row = {};
    if (transformers && c.name === 'this') {
      // As its users run it: ONNX Runtime's default threads.
      const { seconds, stdout } = timed([join(root, 'scripts', 'bench', 'runPhase.mjs'), 'transformers', JSON.stringify({ model: models[0], images, batchSize: 64, dtype: 'fp32' })]);
      row.transformersJs = { wallSeconds: seconds, ...JSON.parse(stdout.trim().split('\n').at(-1)) };
    }
    for (const [k, ms] of [['one', models.slice(0, 1)], ['three', models]]) {
      const dir = join(work, `multi-${c.name}-${k}-${i}`);
      rmSync(dir, { recursive: true, force: true });
      row[k] = zeroshiftProcess(root, { models: ms, dist: join(c.dir, 'dist'), images, batchSize: 64, dtype: 'fp32', threads, out: join(dir, 'out'), cacheDir: join(dir, 'cache') });
      rmSync(dir, { recursive: true, force: true });
    }
    return row;
  });
  return Object.fromEntries(Object.entries(runs).map(([name, rows]) => {
    const one = median(rows.map((r) => r.one.wallSeconds));
    const three = median(rows.map((r) => r.three.wallSeconds));
    const ratios = rows.map((r) => r.three.wallSeconds / r.one.wallSeconds);
    const tf = rows.filter((r) => r.transformersJs);
    const vsTf = tf.map((r) => r.transformersJs.wallSeconds / r.one.wallSeconds);
    const loads = rows.flatMap((r) => [r.one, r.three, r.transformersJs].filter(Boolean).flatMap((x) => x.loadAverage));
    return [name, {
      oneModelSeconds: one, threeModelsSeconds: three, ratio: median(ratios), ratios,
      transformersJsSeconds: tf.length ? median(tf.map((r) => r.transformersJs.wallSeconds)) : null,
      vsTransformersJs: vsTf.length ? median(vsTf) : null, vsTransformersJsRatios: vsTf,
      cpuSeconds: { one: median(rows.map((r) => r.one.cpuSeconds)), three: median(rows.map((r) => r.three.cpuSeconds)), transformersJs: tf.length ? median(tf.map((r) => r.transformersJs.cpuSeconds)) : null },
      loadAverage: { min: Math.min(...loads), max: Math.max(...loads) },
      peakRssMB: { one: median(rows.map((r) => r.one.peakRssMB)), three: median(rows.map((r) => r.three.peakRssMB)) }, rows,
    }];
  }));
}

/** `zeroshift eval` with no arguments (the default suite; `suiteN` sets its --n), cold: a fresh cache and output directory each time. */
export function defaultSuite({ checkouts, repeats, threads, suiteN }) {
  const runs = interleaved(checkouts, repeats, (c) => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-bench-suite-'));
    try {
      const extra = [...(threads ? ['--threads', String(threads)] : []), ...(suiteN ? ['--n', String(suiteN)] : [])];
      return timed([join(c.dir, 'dist', 'cli', 'main.js'), 'eval', '--out', join(dir, 'out'), '--cache-dir', join(dir, 'cache'), '--no-progress', '--json', ...extra]).seconds;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return Object.fromEntries(Object.entries(runs).map(([name, xs]) => [name, { seconds: median(xs), samples: xs }]));
}

/** Start-up: `--version`, `--help`, `eval --help`, and a one-batch eval (64 generated images, no cache) as whole processes. */
export function startup({ checkouts, repeats }) {
  const cases = {
    version: ['--version'],
    help: ['--help'],
    evalHelp: ['eval', '--help'],
    oneBatchEval: ['eval', '--dataset', 'shapes:standard?n=64', '--batch-size', '64', '--no-cache', '--no-progress', '--json'],
  };
  const runs = interleaved(checkouts, repeats, (c) => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-bench-start-'));
    try {
      return Object.fromEntries(Object.entries(cases).map(([k, args]) => [k, timed([join(c.dir, 'dist', 'cli', 'main.js'), ...args, ...(k === 'oneBatchEval' ? ['--out', join(dir, 'out')] : [])]).seconds]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return Object.fromEntries(Object.entries(runs).map(([name, rows]) => [name, Object.fromEntries(Object.keys(cases).map((k) => [k, median(rows.map((r) => r[k]))]))]));
}

/** Builds a baseline checkout's dist/ when it is missing (tsc of that checkout). */
export function ensureBuilt(dir) {
  execFileSync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
}
