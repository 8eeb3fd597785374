#!/usr/bin/env node
/**
 * Writes test/eval/golden/decodeOnce.json: the metrics, skips and predictions of a multi-model,
 * multi-shift, multi-prompt-set run, produced ONCE by the per-unit runner (each unit reading and
 * decoding its images itself, commit 17975fb) so the decode-once runner can be checked against
 * it byte for byte (test/eval/decodeOnce.test.ts). Run from the repository root after
 * `npm run build`:  node test/eval/golden/makeDecodeOnceGolden.mjs
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../../dist/eval/plan.js';
import { runPlan } from '../../../dist/eval/runPlan.js';
import { silentLogger } from '../../../dist/util/log.js';
import { goldenSetup, goldenEntry } from './decodeOnceSetup.mjs';

const work = await mkdtemp(join(tmpdir(), 'zs-golden-'));
try {
  const { planInput, settings, folder } = await goldenSetup(work);
  const plan = await buildPlan(planInput);
  const outcome = await runPlan(plan, { ...settings, outDir: join(work, 'out'), log: silentLogger, keepPredictions: true });
  const entries = outcome.results.map((r, i) => goldenEntry(r, outcome.predictions[i], folder));
  entries.sort((a, b) => a.key.localeCompare(b.key));
  await writeFile(new URL('./decodeOnce.json', import.meta.url), `${JSON.stringify({ producedBy: 'per-unit runner (main 17975fb)', entries })}\n`);
  console.log(`${entries.length} results written`);
} finally {
  await rm(work, { recursive: true, force: true });
}
