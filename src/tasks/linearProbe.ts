import { modelLabel } from '../results/modelLabel.js';
import { ZeroshiftError } from '../errors.js';
import { readItemMetadata } from '../datasets/metadata.js';
import { groupMetrics, groupSummary, groupValue, type GroupItem } from '../metrics/groups.js';
import type { TaskResult } from '../results/envelope.js';
import { BatchSet } from './batchSet.js';
import { fitProbe, probeMetrics, type TrainedProbe } from './probeTask.js';
import { pct, shiftLabel } from './format.js';
import type { ScorerInput, EnvelopeTaskSpec } from './task.js';

/**
 * The linear probe of the CLIP paper: logistic regression on the image embeddings of a train
 * split (C chosen on a validation split, src/probe/sweep.ts), scored on the test set, on its
 * family's shifted variants, and under corruptions of the test images. The probe is fitted
 * once per (model, train split, k, seed) and shared by every lane of the run; its train
 * images are never shifted.
 * Its result record (metrics schema, result member, index.csv columns) is src/results/tasks/linearProbe.ts.
 */
export const linearProbeTask: EnvelopeTaskSpec = {
  id: 'linear_probe',
  title: 'linear probe: logistic regression on image embeddings (CLIP paper protocol)',
  needs: 'labelled',
  // The probe's metrics are per-item, but its result has no per-item file to join shards by.
  splitsItems: false,
  readsTexts: false,
  identity: (o) => ({ train: o.trainSpec ?? null, fewshotK: o.fewshotK ?? null, seed: o.seed }),
  async open(input) {
    const { dataset, model, options } = input;
    if (!options.trainSpec) throw new ZeroshiftError('USAGE', `--task linear_probe on ${dataset.spec}: no train split (name one with --train-dataset SPEC)`);
    const probe = await fitted(input, options.trainSpec);
    if (dataset.classNames.join('\n') !== probe.classNames.join('\n')) {
      throw new ZeroshiftError('DATASET', `linear probe: ${dataset.spec} has classes ${dataset.classNames.slice(0, 5).join(', ')}… but the train split ${options.trainSpec} has ${probe.classNames.slice(0, 5).join(', ')}…; a probe scores only datasets of its own label space`);
    }
    // Read before any inference, so a --group-by field the dataset lacks fails fast.
    const meta = options.groupBy.length > 0 ? await readItemMetadata(dataset, options.groupBy, input.signal) : null;
    const train = await input.openDataset(options.trainSpec);
    const trainLimit = input.limitOf(options.trainSpec);
    const items = new BatchSet(model.info.embedDim);
    return {
      add: (batch) => items.add(batch),
      async finish() {
        const set = items.set();
        const scored = probeMetrics(probe.fit.model, set, dataset.spec);
        const out: Awaited<ReturnType<Awaited<ReturnType<EnvelopeTaskSpec['open']>>['finish']>> = {
          probe: { c: probe.fit.c, fewshotK: options.fewshotK ?? null, seed: options.seed, nTrain: probe.fit.nTrain, nVal: probe.fit.nVal, nFit: probe.fit.nFit, sweep: probe.fit.sweep, numClasses: probe.classNames.length, classNames: probe.classNames },
          metrics: scored.metrics,
          trainDataset: train,
          skipped: probe.train.skipped.map((s) => ({ id: `train:${s.id}`, reason: s.reason })),
          texts: { computed: 0, cached: 0 },
          // A probe fitted on a train split cut by --limit is partial too.
          partial: trainLimit !== null && trainLimit.n < trainLimit.of,
        };
        if (meta) {
          const groupItems: GroupItem[] = set.ids.map((_, j) => ({ label: set.labels[j], pred: scored.pred[j], correct: scored.pred[j] === set.labels[j], correct5: scored.correct5?.[j] }));
          // Keyed by user-chosen field names: null prototypes keep a field named `__proto__`.
          out.groups = Object.create(null) as NonNullable<typeof out.groups>;
          out.groupSummary = Object.create(null) as NonNullable<typeof out.groupSummary>;
          for (const field of options.groupBy) {
            const g = groupMetrics(groupItems, set.ids.map((id) => groupValue(meta.get(id), field)));
            out.groups[field] = g;
            const s = groupSummary(g);
            if (s) out.groupSummary[field] = s;
          }
        }
        return out;
      },
    };
  },
  summary: {
    columns: ['model', 'dataset', 'shift', 'train', 'k', 'C', 'n', 'top-1 % [95% CI]', 'macro-F1', 'worst group'],
    row(r: TaskResult) {
      const m = r.metrics!;
      const worst = Object.entries(r.groupSummary ?? {}).map(([f, s]) => `${f}=${s.worst.value} ${pct(s.worst.acc1)}`).join('; ');
      return [modelLabel(r.model), r.dataset.name, shiftLabel(r.shift), r.trainDataset?.name ?? '', String(r.probe?.fewshotK ?? 'all'), r.probe!.c.toPrecision(3), String(m.n), `${pct(m.acc1)} [${pct(m.acc1Ci[0])}, ${pct(m.acc1Ci[1])}]`, pct(m.macroF1), worst || '-'];
    },
  },
};

/** The probe of this model and train split, fitted once per run (unshifted train images). */
function fitted(input: ScorerInput, trainSpec: string): Promise<TrainedProbe> {
  const { model, options } = input;
  const key = `linear_probe:${model.info.hashes.visionModel}:${model.info.hashes.preprocessor}:${trainSpec}:${options.fewshotK ?? 'all'}:${options.seed}`;
  return input.shared(key, async () => {
    const train = await input.openDataset(trainSpec);
    input.log.info(`linear probe: training on ${train.spec}${options.fewshotK ? ` (${options.fewshotK}-shot)` : ''}`);
    const set = await input.embedDataset(train, `${model.info.name} · ${train.name} (train)`);
    const probe = await fitProbe(train, set, { seed: options.seed, fewshotK: options.fewshotK, signal: input.signal, onFit: (c, acc) => input.log.debug(`probe C=${c.toPrecision(3)} val top-1 ${(100 * acc).toFixed(2)} %`) });
    input.log.info(`linear probe: C = ${probe.fit.c.toPrecision(4)} chosen on ${probe.fit.nVal} validation items; fit on ${probe.fit.nFit}`);
    return probe;
  });
}
