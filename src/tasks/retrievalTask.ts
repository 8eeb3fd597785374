import { ZeroshiftError } from '../errors.js';
import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import { retrievalMetrics, type RetrievalMetrics } from '../metrics/retrieval.js';
import { collectImageEmbeddings, type CollectOptions } from '../embed/collect.js';
import { embedTexts } from '../embed/textEmbeddings.js';

export interface RetrievalOutput {
  metrics: RetrievalMetrics;
  skipped: SkippedItem[];
  counts: { imagesComputed: number; imagesFromCache: number; textsComputed: number; textsFromCache: number };
}

/**
 * Zero-shot retrieval on a captioned dataset: every image and caption is embedded (both
 * cached), and the CLIP_benchmark recall@k of src/metrics/retrieval.ts computed over the
 * images that embedded and their captions. Images that fail to decode are skipped with
 * their captions and listed.
 */
export async function runRetrieval(dataset: Dataset, o: CollectOptions & { textCache: EmbeddingCache | null }): Promise<RetrievalOutput> {
  if (!dataset.captioned) {
    throw new ZeroshiftError('DATASET', `${dataset.spec} has no captions, so zero-shot retrieval cannot run on it; captioned layouts: wds with dataset_type.txt = retrieval, csv-captions:, coco:`);
  }
  // Captions by id from one cheap pass (no decoding), then images through the one embed path.
  const captionsById = new Map<string, string[]>();
  for await (const s of dataset.samples({ signal: o.signal })) if (s.captions) captionsById.set(s.id, s.captions);
  const images = await collectImageEmbeddings(dataset, o);
  if (images.ids.length === 0) {
    throw new ZeroshiftError('DATASET', `${dataset.spec}: no image could be embedded (${images.skipped.length} skipped${images.skipped[0] ? `; first: ${images.skipped[0].id}: ${images.skipped[0].reason}` : ''})`);
  }
  const texts: string[] = [];
  const textImage: number[] = [];
  images.ids.forEach((id, i) => {
    for (const c of captionsById.get(id) ?? []) {
      texts.push(c);
      textImage.push(i);
    }
  });
  const t = await embedTexts(o.model, texts, o.textCache);
  const metrics = retrievalMetrics({ images: images.x, texts: t.x, dim: images.dim, textImage: Int32Array.from(textImage) });
  return {
    metrics,
    skipped: images.skipped,
    counts: { imagesComputed: images.computed, imagesFromCache: images.cached, textsComputed: t.computed, textsFromCache: t.cached },
  };
}
