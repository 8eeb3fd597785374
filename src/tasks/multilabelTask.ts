import { ZeroshiftError } from '../errors.js';
import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import { averagePrecisionPerClass } from '../metrics/multilabel.js';
import { buildClassifier } from '../prompts/classifier.js';
import { getPromptSet } from '../prompts/registry.js';
import type { MultilabelMetrics } from '../results/taskSchema.js';
import { collectImageEmbeddings, type CollectOptions } from '../embed/collect.js';
import { embedTexts } from '../embed/textEmbeddings.js';

/** CLIP_benchmark's prompt set for voc2007_multilabel (its templates; class names are the dataset's). */
export const MULTILABEL_PROMPTS = 'cb:voc2007_multilabel';

export interface MultilabelOutput {
  metrics: MultilabelMetrics;
  skipped: SkippedItem[];
  counts: { imagesComputed: number; imagesFromCache: number; textsComputed: number; textsFromCache: number };
}

/**
 * Zero-shot multi-label classification as CLIP_benchmark's voc2007_multilabel: a classifier
 * from the class names × CLIP_benchmark's templates (clip ensembling), cosine scores of every
 * embedded image against it (CLIP_benchmark's logits are these × 100, which ranks the same),
 * and average precision per class over the images (src/metrics/multilabel.ts).
 */
export async function runMultilabel(dataset: Dataset, o: CollectOptions & { textCache: EmbeddingCache | null }): Promise<MultilabelOutput> {
  if (!dataset.multilabel) {
    throw new ZeroshiftError('DATASET', `${dataset.spec} is not a multi-label dataset, so --task multilabel cannot run on it; multi-label layouts: voc:DIR (VOC2007)`);
  }
  const positives = new Map<string, number[]>();
  for await (const s of dataset.samples({ signal: o.signal })) positives.set(s.id, s.labels ?? []);
  const images = await collectImageEmbeddings(dataset, o);
  const n = images.ids.length;
  if (n === 0) throw new ZeroshiftError('DATASET', `${dataset.spec}: no image could be embedded (${images.skipped.length} skipped${images.skipped[0] ? `; first: ${images.skipped[0].id}: ${images.skipped[0].reason}` : ''})`);
  const c = dataset.classNames.length;
  const dim = images.dim;
  const templates = getPromptSet(MULTILABEL_PROMPTS).templates;
  let textsComputed = 0;
  let textsFromCache = 0;
  const weights = await buildClassifier(async (texts) => {
    const t = await embedTexts(o.model, texts, o.textCache);
    textsComputed += t.computed;
    textsFromCache += t.cached;
    return t.x;
  }, dim, dataset.classNames, templates, 'clip');
  const scores = new Float32Array(n * c);
  const targets = new Uint8Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += images.x[i * dim + d] * weights[k * dim + d];
      scores[i * c + k] = dot;
    }
    for (const k of positives.get(images.ids[i]) ?? []) targets[i * c + k] = 1;
  }
  const ap = averagePrecisionPerClass(scores, targets, n, c);
  const perClass = dataset.classNames.map((name, k) => {
    let pos = 0;
    for (let i = 0; i < n; i++) pos += targets[i * c + k];
    return { name, ap: ap[k], positives: pos };
  });
  return {
    metrics: { n, meanAveragePrecision: ap.reduce((s, v) => s + v, 0) / c, perClass, prompts: { name: MULTILABEL_PROMPTS, templates: [...templates] } },
    skipped: images.skipped,
    counts: { imagesComputed: images.computed, imagesFromCache: images.cached, textsComputed, textsFromCache },
  };
}
