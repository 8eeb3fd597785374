import type { ResultKey } from '../results/paths.js';
import { writeResult } from '../results/store.js';
import { classifierFor, promptIdentity, promptRefsOf, type BuiltClassifier } from './classifiers.js';
import { resultId, UnitScorer } from './classificationScorer.js';
import { addClassificationGroups, hasGroups, metadataFor } from './groupResults.js';
import { reuseExisting } from './reuseResults.js';
import type { LaneDone, LaneInput, OpenedLane, Task } from './task.js';

/**
 * Zero-shot classification: each image scored against the classifier of every prompt set riding
 * along the unit (one Result v2 and one predictions file per prompt set), under the target's
 * scoring protocol; item ranges split across shards; `--group-by` metrics from the predictions.
 */
export const zeroshotClassificationTask: Task = {
  id: 'zeroshot_classification',
  title: 'zero-shot classification: top-1/top-5 accuracy against a classifier of class-name prompts',
  needs: 'labelled',
  splitsItems: true,
  openLane: openClassificationLane,
};

/**
 * One unit's lane: result names and ids come from the selected prompts alone, so --skip-existing
 * is decided before any text tower runs; otherwise every prompt set's classifier is built (or
 * read from the classifier cache) before the images stream.
 */
async function openClassificationLane(input: LaneInput): Promise<OpenedLane> {
  const { unit, model, cache, dataset, run } = input;
  const refs = promptRefsOf(unit);
  const selections = await Promise.all(refs.map((ref) => run.prompts(ref, unit)));
  const keys: ResultKey[] = refs.map((ref, i) => {
    const prompt = promptIdentity(ref, selections[i], unit);
    return { model: model.info.name, dtype: model.info.dtype, executionProvider: model.info.executionProvider, dataset: dataset.name, shift: unit.shift, textShift: unit.textShift, prompts: prompt.name, range: unit.range, id: resultId(model, dataset, unit, prompt.hash) };
  });
  const groupBy = unit.target.groupBy ?? [];
  // Read before any inference, so a --group-by field the dataset lacks fails fast.
  const meta = groupBy.length > 0 ? await metadataFor(dataset, groupBy, run.groupMetadata, run.signal) : null;
  const reused = run.skipExisting ? await reuseExisting(keys, run, (r) => hasGroups(r, groupBy)) : null;
  if (reused) return { kind: 'reused', done: { ...reused, taskResults: [] } };
  const built: BuiltClassifier[] = [];
  for (const [i, ref] of refs.entries()) {
    built.push(await classifierFor(ref, selections[i], unit, { model, dataset, cacheDir: run.cacheDir, log: run.log }));
    if (built[i].texts.computed > 0) run.textsEmbedded?.(built[i].texts.computed);
  }
  const scorer = new UnitScorer({ unit, model, cache, built }, dataset);
  return {
    kind: 'stream',
    add: (batch) => scorer.add(batch),
    skip: (item) => scorer.skipped.push(item),
    finish: async (timings) => {
      const done: LaneDone = { results: [], predictions: [], taskResults: [] };
      const limit = run.limitOf(unit.target.spec);
      for (const out of scorer.finish(run, timings)) {
        out.result.provenance = run.provenance;
        if (limit) out.result.limit = limit;
        if (meta) addClassificationGroups(out.result, out.predictions, meta, groupBy);
        // Read before writing: a result that already exists keeps its first timings (results/store.ts).
        run.wrote(await writeResult(run.outDir, out.result, out.predictions, { onReplaced: (f, why) => run.log.warn(`${f}: replaced: ${why}`) }));
        done.results.push(out.result);
        done.predictions.push(out.predictions);
      }
      return done;
    },
  };
}
