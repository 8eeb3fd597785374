import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../src/eval/plan.js';
import { runPlan, type PlanOptions } from '../../src/eval/runPlan.js';
import { keptLine, withInterrupts } from '../../src/cli/interrupts.js';
import { ProgressReporter } from '../../src/cli/progress.js';
import { loadModel } from '../../src/model/loadModel.js';
import { openTextCache } from '../../src/embed/textEmbeddings.js';
import type { CliContext } from '../../src/cli/context.js';
import { memoryLogger } from '../../src/util/log.js';

/**
 * Ctrl-C during a unit: the SIGINT handler that `withInterrupts` installs is called from inside
 * the first unit's progress callback (after its first batch), so the interrupt lands at a known
 * point without timing or a real signal. Before the fix another unit started after "stopping
 * after the current batch".
 */
describe('after Ctrl-C no new unit starts', () => {
  it('the unit in progress stops after its batch, no other unit starts, the resume command is given', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-interrupt-'));
    const out = join(tmp, 'out');
    const cache = join(tmp, 'cache');
    // Three datasets (each one pass over its images); the interrupt comes in the first.
    const plan = await buildPlan({
      datasets: ['shapes:dark?n=32', 'shapes:sketch?n=32', 'shapes:heldout?n=32'], prompts: ['shapes-shape'], ensembling: 'clip', env: {},
    });
    expect(plan.units).toHaveLength(3);
    const log = memoryLogger();
    const ctx: CliContext = { log, out: () => undefined, verbose: false, argv: ['zeroshift', 'eval', '--out', 'my results'] };
    const started: string[] = [];
    const finished: (string | undefined)[] = [];
    const batches: number[] = [];
    let current = '';
    const before = new Set(process.listeners('SIGINT'));
    const options = (signal: AbortSignal): PlanOptions => ({
      outDir: out, cacheDir: cache, batchSize: 8, decodeConcurrency: 2, exifRotate: false, skipExisting: false, argv: ctx.argv, model: {}, log, signal,
      progress: {
        unitStarted: (label) => {
          started.push(label);
          current = label;
        },
        unitProgress: (done) => {
          batches.push(done);
          if (batches.length === 1) {
            // What Ctrl-C calls: only the handler withInterrupts added (not the test runner's).
            for (const handler of process.listeners('SIGINT').filter((l) => !before.has(l))) (handler as (s: NodeJS.Signals) => void)('SIGINT');
          }
        },
        unitFinished: (how) => finished.push(how ? current : undefined),
      },
    });
    let halted = 0;
    await expect(withInterrupts(ctx, (signal) => runPlan(plan, options(signal)), { onSignal: () => halted++, kept: () => '0 finished unit(s) written to my results; 8 image embedding(s) computed this run kept in the cache' })).rejects.toMatchObject({
      code: 'INTERRUPTED',
      exitCode: 130,
      message: 'interrupted: 0 finished unit(s) written to my results; 8 image embedding(s) computed this run kept in the cache',
      hint: "run the same command again to resume from the cache: zeroshift eval --out 'my results'",
    });
    expect(log.messages.filter((m) => m.level === 'warn').map((m) => m.message)).toContain('SIGINT: stopping after the current batch (send again to quit at once)');
    // The progress bars end before the warning is printed.
    expect(halted).toBe(1);
    // One unit started, and it ended unfinished after the batch in flight.
    expect(started).toEqual(['none · shapes-dark · tiny-clip-shapes']);
    expect(finished).toEqual([undefined]);
    expect(batches.length).toBeLessThan(4);
    // No result was written; the embedded batch is in the cache for the resume.
    expect((await readdir(out).catch(() => [] as string[])).filter((f) => f.endsWith('.json'))).toEqual([]);
    const images = await readdir(join(cache, 'images'));
    expect(images).toHaveLength(1);
    // The handlers are removed again.
    expect(process.listeners('SIGINT').filter((l) => !before.has(l))).toEqual([]);
  }, 120_000);

  it('an interrupt as a unit finishes keeps its results and starts no further unit', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-interrupt-'));
    const out = join(tmp, 'out');
    const plan = await buildPlan({ datasets: ['shapes:dark?n=16', 'shapes:sketch?n=16', 'shapes:heldout?n=16'], prompts: ['shapes-shape'], ensembling: 'clip', env: {} });
    const log = memoryLogger();
    const ctx: CliContext = { log, out: () => undefined, verbose: false, argv: ['zeroshift', 'eval'] };
    const started: string[] = [];
    const before = new Set(process.listeners('SIGINT'));
    await expect(withInterrupts(ctx, (signal) => runPlan(plan, {
      outDir: out, cacheDir: null, batchSize: 8, decodeConcurrency: 2, exifRotate: false, skipExisting: false, argv: ctx.argv, model: {}, log, signal,
      progress: {
        unitStarted: (label) => started.push(label),
        unitProgress: () => undefined,
        // The signal lands once the first unit's results are written, before the next unit.
        unitFinished: () => {
          for (const handler of process.listeners('SIGINT').filter((l) => !before.has(l))) (handler as (s: NodeJS.Signals) => void)('SIGTERM');
        },
      },
    }))).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(started).toEqual(['none · shapes-dark · tiny-clip-shapes']);
    expect((await readdir(out)).filter((f) => f.endsWith('.json'))).toEqual([expect.stringMatching(/^tiny-clip-shapes__shapes-dark__none__shapes-shape__/)]);
  }, 120_000);

  it('an interrupt in a text phase counts the texts embedded before it (kept in the cache) in its last line', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-interrupt-texts-'));
    const out = join(tmp, 'out');
    const cache = join(tmp, 'cache');
    // Retrieval over 100 images with 3 captions each: 300 captions, text batches of 256 after the images.
    const plan = await buildPlan({ datasets: ['shapes-captions:standard?n=100'], ensembling: 'clip', env: {} });
    const log = memoryLogger();
    const ctx: CliContext = { log, out: () => undefined, verbose: false, argv: ['zeroshift', 'eval'] };
    const before = new Set(process.listeners('SIGINT'));
    const reporter = new ProgressReporter(process.stderr, 10_000, false);
    const progress = reporter.planProgress();
    const kept = (): string => keptLine(reporter.summary().unitsComputed, reporter.embeddedSoFar(), out, cache, reporter.textsSoFar());
    await expect(withInterrupts(ctx, (signal) => runPlan(plan, {
      outDir: out, cacheDir: cache, batchSize: 32, decodeConcurrency: 2, exifRotate: false, skipExisting: false, argv: ctx.argv, model: {}, log, signal,
      progress: {
        ...progress,
        // Ctrl-C once the first batch of captions is embedded: the second one never runs.
        textsEmbedded: (n) => {
          progress.textsEmbedded!(n);
          for (const handler of process.listeners('SIGINT').filter((l) => !before.has(l))) (handler as (s: NodeJS.Signals) => void)('SIGINT');
        },
      },
    }), { kept })).rejects.toMatchObject({
      code: 'INTERRUPTED',
      message: `interrupted: 0 finished unit(s) written to ${out}; 100 image embedding(s) and 256 text embedding(s) computed this run kept in the cache`,
    });
    // The batch is in the text cache for the resume (repeated captions share one entry, so up to 256).
    const model = await loadModel('tiny-clip-shapes');
    try {
      const texts = await openTextCache(cache, model, log);
      expect(texts.size).toBeGreaterThan(0);
      expect(texts.size).toBeLessThanOrEqual(256);
      await texts.close();
    } finally {
      await model.dispose();
    }
    expect(keptLine(1, 8, 'o', null, 3)).toBe('1 finished unit(s) written to o; 8 image embedding(s) and 3 text embedding(s) computed but not kept (--no-cache)');
    expect(keptLine(1, 8, 'o', 'c')).toBe('1 finished unit(s) written to o; 8 image embedding(s) computed this run kept in the cache');
  }, 120_000);
});
