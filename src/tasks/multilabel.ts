import { modelLabel } from '../results/modelLabel.js';
import { ZeroshiftError } from '../errors.js';
import { averagePrecisionPerClass } from '../metrics/multilabel.js';
import { buildClassifier } from '../prompts/classifier.js';
import { getPromptSet } from '../prompts/registry.js';
import { embedTexts } from '../embed/textEmbeddings.js';
import { BatchSet } from './batchSet.js';
import { pct, shiftLabel } from './format.js';
import type { EnvelopeTaskSpec } from './task.js';

/** CLIP_benchmark's prompt set for voc2007_multilabel (its templates; class names are the dataset's). */
export const MULTILABEL_PROMPTS = 'cb:voc2007_multilabel';

/**
 * Zero-shot multi-label classification as CLIP_benchmark's voc2007_multilabel: a classifier
 * from the class names × CLIP_benchmark's templates (clip ensembling), cosine scores of every
 * embedded image against it (CLIP_benchmark's logits are these × 100, which ranks the same),
 * and average precision per class over the images (src/metrics/multilabel.ts).
 * Its result record (metrics schema, result member, index.csv columns) is src/results/tasks/multilabel.ts.
 */
export const multilabelTask: EnvelopeTaskSpec = {
  id: 'multilabel',
  title: 'zero-shot multi-label classification: mean average precision (CLIP_benchmark voc2007_multilabel)',
  needs: 'multilabel',
  splitsItems: false,
  identity: () => ({ prompts: MULTILABEL_PROMPTS }),
  async open(input) {
    const { dataset, model } = input;
    const positives = new Map<string, number[]>();
    for await (const s of dataset.samples({ signal: input.signal })) positives.set(s.id, s.labels ?? []);
    const images = new BatchSet(model.info.embedDim);
    return {
      add: (batch) => images.add(batch),
      async finish() {
        const set = images.set();
        const n = set.ids.length;
        if (n === 0) throw new ZeroshiftError('DATASET', `${dataset.spec}: no image could be embedded for multi-label scoring`);
        const c = dataset.classNames.length;
        const dim = set.dim;
        const templates = getPromptSet(MULTILABEL_PROMPTS).templates;
        const texts = { computed: 0, cached: 0 };
        const weights = await buildClassifier(async (batch) => {
          const t = await embedTexts(model, batch, input.textCache, { signal: input.signal, onEmbedded: (n) => input.textsEmbedded?.(n) });
          texts.computed += t.computed;
          texts.cached += t.cached;
          return t.x;
        }, dim, dataset.classNames.map((name, k) => input.shiftText(name, String(k))), templates, 'clip');
        const scores = new Float32Array(n * c);
        const targets = new Uint8Array(n * c);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < c; k++) {
            let dot = 0;
            for (let d = 0; d < dim; d++) dot += set.x[i * dim + d] * weights[k * dim + d];
            scores[i * c + k] = dot;
          }
          for (const k of positives.get(set.ids[i]) ?? []) targets[i * c + k] = 1;
        }
        const ap = averagePrecisionPerClass(scores, targets, n, c);
        const perClass = dataset.classNames.map((name, k) => {
          let pos = 0;
          for (let i = 0; i < n; i++) pos += targets[i * c + k];
          return { name, ap: ap[k], positives: pos };
        });
        return { multilabel: { n, meanAveragePrecision: ap.reduce((s, v) => s + v, 0) / c, perClass, prompts: { name: MULTILABEL_PROMPTS, templates: [...templates] } }, texts };
      },
    };
  },
  summary: {
    columns: ['model', 'dataset', 'shift', 'images', 'mAP %', 'worst class', 'partial'],
    row(r) {
      const m = r.multilabel!;
      const worst = [...m.perClass].sort((a, b) => a.ap - b.ap)[0];
      return [modelLabel(r.model), r.dataset.name, shiftLabel(r.shift), String(m.n), pct(m.meanAveragePrecision), worst ? `${worst.name} ${pct(worst.ap)}` : '-', r.partial ? 'yes' : ''];
    },
  },
};
