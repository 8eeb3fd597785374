import { modelLabel } from '../results/modelLabel.js';
import { ZeroshiftError } from '../errors.js';
import type { Dataset } from '../datasets/types.js';
import { acceptableColumns } from '../datasets/scoringProtocol.js';
import { clopperPearson } from '../metrics/clopperPearson.js';
import { oodMetrics } from '../metrics/ood.js';
import { oodScores } from '../metrics/oodScores.js';
import type { EmbeddedSet } from '../embed/collect.js';
import type { TaskResult } from '../results/envelope.js';
import { BatchSet } from './batchSet.js';
import { pct, shiftLabel } from './format.js';
import type { LaneClassifier, OodOptions, ScorerInput, EnvelopeTaskSpec } from './task.js';

/**
 * Zero-shot OOD detection (semantic shift): the lane's dataset is in-distribution (ID, the
 * positive class) and `--ood-dataset` holds images of classes it does not have. Every image
 * of both gets a score from its cosines to the ID classifier (src/metrics/oodScores.ts: mcm,
 * maxlogit, energy), the classifier built exactly as zero-shot classification builds it (same
 * prompt selection, ensembling, cache and class subset); the metrics are AUROC with its DeLong
 * CI, FPR@95 %TPR and AUPR-In/Out (src/metrics/ood.ts), with ID top-1 beside them. Under a
 * shift both sets are corrupted alike. The per-image scores are kept in the result, so the
 * metrics can be recomputed and the report draws ROC curves from them.
 * Its result record (metrics schema, result member, index.csv columns) is src/results/tasks/zeroshotOod.ts.
 */
export const zeroshotOodTask: EnvelopeTaskSpec = {
  id: 'zeroshot_ood',
  title: 'zero-shot OOD detection: AUROC, FPR@95 %TPR, AUPR-In/Out of mcm, maxlogit or energy scores (ID = --dataset, OOD = --ood-dataset)',
  needs: 'labelled',
  // AUROC and FPR@95 exist only over the whole ID set.
  splitsItems: false,
  identity: (o) => ({ ood: o.ood ?? null }),
  async open(input) {
    const { dataset, model, options } = input;
    const ood = options.ood;
    if (!ood) throw new ZeroshiftError('USAGE', `--task zeroshot_ood on ${dataset.spec}: no OOD set (name one with --ood-dataset SPEC)`);
    const classifier = await input.zeroShotClassifier(ood.prompt, ood.ensembling);
    const oodSet = await input.openDataset(ood.dataset);
    const oodLimit = input.limitOf(ood.dataset);
    const oodImages = await embeddedOod(input, oodSet);
    const images = new BatchSet(model.info.embedDim);
    return {
      add: (batch) => images.add(batch),
      async finish() {
        const id = images.set();
        const scored = scoreSet(id.x, id.ids.length, classifier, input, ood);
        // Items whose label the protocol leaves out (outside a class subset) are neither ID nor scored.
        const keep: number[] = [];
        let correct = 0;
        for (let i = 0; i < id.ids.length; i++) {
          const ok = acceptableColumns(classifier.protocol, id.labels[i]);
          if (!ok) continue;
          keep.push(i);
          if (ok.includes(scored.pred[i])) correct++;
        }
        const idScores = keep.map((i) => scored.scores[i]);
        const oodScored = scoreSet(oodImages.x, oodImages.ids.length, classifier, input, ood).scores;
        const m = oodMetrics(idScores, oodScored, { id: dataset.spec, ood: oodSet.spec });
        return {
          ood: {
            dataset: { spec: oodSet.spec, name: oodSet.name, adapter: oodSet.adapter, fingerprint: oodSet.fingerprint, family: null, variant: null, isStandard: false },
            score: ood.score,
            temperature: ood.temperature,
            scoring: { ...model.info.scoring },
            prompts: classifier.prompt,
            limit: oodLimit,
            nId: m.nId,
            nOod: m.nOod,
            idTop1: correct / keep.length,
            idTop1Ci: clopperPearson(correct, keep.length),
            auroc: m.auroc,
            aurocCi: m.aurocCi,
            fpr95: m.fpr95,
            fpr95Threshold: m.fpr95Threshold,
            auprIn: m.auprIn,
            auprOut: m.auprOut,
            idScores,
            oodScores: Array.from(oodScored),
          },
          skipped: oodImages.skipped.map((s) => ({ id: `ood:${s.id}`, reason: s.reason })),
          texts: classifier.texts,
          partial: oodLimit !== null && oodLimit.n < oodLimit.of,
        };
      },
    };
  },
  summary: {
    columns: ['model', 'ID dataset', 'OOD dataset', 'shift', 'score', 'ID / OOD', 'AUROC % [95% CI]', 'FPR@95 %', 'AUPR-In %', 'AUPR-Out %', 'ID top-1 %'],
    row(r: TaskResult) {
      const o = r.ood!;
      const ci = o.aurocCi ? ` [${pct(o.aurocCi[0])}, ${pct(o.aurocCi[1])}]` : '';
      return [modelLabel(r.model), r.dataset.name, o.dataset.name, shiftLabel(r.shift), o.score, `${o.nId} / ${o.nOod}`, `${pct(o.auroc)}${ci}`, pct(o.fpr95), pct(o.auprIn), pct(o.auprOut), pct(o.idTop1)];
    },
  },
};

/** The OOD set's embeddings under the lane's shift, embedded once per (model, set, shift) in a run. */
function embeddedOod(input: ScorerInput, oodSet: Dataset): Promise<EmbeddedSet> {
  const { model, shift } = input;
  // The whole shift (its parameter set too) keys the embeddings, not only its label.
  const key = `zeroshot_ood:${model.info.hashes.visionModel}:${model.info.hashes.preprocessor}:${oodSet.spec}:${JSON.stringify(shift ?? null)}`;
  return input.shared(key, () => input.embedDataset(oodSet, `${shiftLabel(shift)} · ${oodSet.name} (OOD) · ${model.info.name}`, shift));
}

/**
 * OOD scores and top-1 predictions (positions in the scored columns) of (N, D) embeddings.
 * @returns scores (N,) float64 and pred (N,)
 */
function scoreSet(x: Float32Array, n: number, classifier: LaneClassifier, input: ScorerInput, ood: OodOptions): { scores: Float64Array; pred: Int32Array } {
  const dim = input.model.info.embedDim;
  const columns = classifier.protocol.classColumns ?? Array.from({ length: classifier.rows }, (_, j) => j);
  const c = columns.length;
  const cos = new Float32Array(n * c);
  const pred = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 0; j < c; j++) {
      const w = columns[j] * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[i * dim + d] * classifier.weights[w + d];
      cos[i * c + j] = s;
      if (s > cos[i * c + best]) best = j;
    }
    pred[i] = best;
  }
  return { scores: oodScores(cos, n, c, ood.score, input.model.info.scoring, ood.temperature), pred };
}
