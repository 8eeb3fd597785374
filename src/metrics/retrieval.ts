import { ZeroshiftError } from '../errors.js';
import { clopperPearson } from './clopperPearson.js';

/**
 * Zero-shot image–text retrieval metrics as CLIP_benchmark defines them
 * (clip_benchmark/metrics/zeroshot_retrieval.py, restated):
 *
 *   scores = texts_emb @ images_emb.T                       (T, I), both L2-normalised
 *   positive[t, i] = (i is the image caption t belongs to)
 *   image_retrieval_recall@k = mean over texts t of  [ the image of t is among the k images
 *                              with the highest scores[t, :] ]                (text → image)
 *   text_retrieval_recall@k  = mean over images i of [ at least one caption of i is among
 *                              the k texts with the highest scores[:, i] ]   (image → text)
 *
 * CLIP_benchmark computes "true positives in top-k / positives > 0", which is the same
 * indicator. DataComp's retrieval main metric is mean_recall@1 = ½ (text R@1 + image R@1)
 * (datacomp eval_utils/retr_eval.py).
 *
 * Ranks (1-based): a text's rank is where its image lands in the ordering of all images by
 * score; an image's rank is where its best caption lands among all texts. recall@k is the
 * fraction of queries with rank ≤ k. Ties: candidates with a score equal to the positive's
 * are ordered by index (lower first), as a stable descending sort and zeroshift's top-k
 * do; torch.topk leaves tie order unspecified, so CLIP_benchmark may differ from this only
 * on exactly tied scores (duplicate images or identical captions of different images).
 * Scores are accumulated in float64 from the float32 embeddings.
 */

/** The k values CLIP_benchmark's retrieval task reports (DataComp uses the same list). */
export const RECALL_KS = [1, 5, 10] as const;

export interface RecallAtK {
  /** Queries whose positive is within the top k. */
  hits: number;
  /** Number of queries (texts for image retrieval, images for text retrieval). */
  n: number;
  value: number;
  /** Exact 95 % Clopper–Pearson interval of `value`. */
  ci: [number, number];
}

export interface RetrievalMetrics {
  nImages: number;
  nTexts: number;
  /** Keyed `image_retrieval_recall@k` and `text_retrieval_recall@k` for k in RECALL_KS. */
  recall: Record<string, RecallAtK>;
  /** Mean and median 1-based rank of each text's image (text → image). */
  imageRetrievalMeanRank: number;
  imageRetrievalMedianRank: number;
  /** Mean and median 1-based rank of each image's best caption (image → text). */
  textRetrievalMeanRank: number;
  textRetrievalMedianRank: number;
  /** DataComp's main retrieval metric: ½ (image_retrieval_recall@1 + text_retrieval_recall@1). */
  meanRecallAt1: number;
}

export interface RetrievalInput {
  /** (I, D) L2-normalised image embeddings, row-major. */
  images: Float32Array;
  /** (T, D) L2-normalised caption embeddings, row-major. */
  texts: Float32Array;
  dim: number;
  /** (T,) index of the image each caption belongs to. */
  textImage: Int32Array;
}

/** (va, ia) ranks before (vb, ib): higher score first, ties to the lower index. */
function before(va: number, ia: number, vb: number, ib: number): boolean {
  return va > vb || (va === vb && ia < ib);
}

function dotRow(a: Float32Array, ai: number, b: Float32Array, n: number, dim: number, out: Float64Array): void {
  const ao = ai * dim;
  for (let j = 0; j < n; j++) {
    const bo = j * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += a[ao + d] * b[bo + d];
    out[j] = s;
  }
}

/** Median of 1-based ranks (mean of the two middle values for an even count, as numpy). */
export function median(values: Int32Array | number[]): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function mean(values: Int32Array): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length === 0 ? NaN : s / values.length;
}

function recallFromRanks(ranks: Int32Array, k: number): RecallAtK {
  let hits = 0;
  for (const r of ranks) if (r <= k) hits++;
  return { hits, n: ranks.length, value: hits / ranks.length, ci: clopperPearson(hits, ranks.length) };
}

/**
 * Per-query ranks for both directions. Two passes over the (T, I) score matrix, one row of
 * I scores at a time, so memory stays O(T + I) even for MSCOCO's 25,000 × 5,000.
 * Returns `imageRanks` (T,): rank of each text's image; `textRanks` (I,): rank of each
 * image's best caption.
 */
export function retrievalRanks(input: RetrievalInput): { imageRanks: Int32Array; textRanks: Int32Array } {
  const { images, texts, dim, textImage } = input;
  const nI = images.length / dim;
  const nT = texts.length / dim;
  if (!Number.isInteger(nI) || !Number.isInteger(nT) || textImage.length !== nT) {
    throw new ZeroshiftError('INTERNAL', `retrievalRanks: ${images.length} image values, ${texts.length} text values, dim ${dim}, ${textImage.length} caption→image indices do not fit`);
  }
  const hasCaption = new Uint8Array(nI);
  for (const i of textImage) {
    if (!(i >= 0 && i < nI)) throw new ZeroshiftError('INTERNAL', `retrievalRanks: caption points at image ${i} of ${nI}`);
    hasCaption[i] = 1;
  }
  const missing = hasCaption.indexOf(0);
  if (missing >= 0) throw new ZeroshiftError('INTERNAL', `retrievalRanks: image ${missing} has no caption (adapters skip such items)`);

  const row = new Float64Array(nI);
  const imageRanks = new Int32Array(nT);
  // Best caption of each image under the (score desc, index asc) order.
  const bestScore = new Float64Array(nI).fill(-Infinity);
  const bestText = new Int32Array(nI).fill(-1);
  for (let t = 0; t < nT; t++) {
    dotRow(texts, t, images, nI, dim, row);
    const p = textImage[t];
    const sp = row[p];
    let r = 1;
    for (let i = 0; i < nI; i++) if (i !== p && before(row[i], i, sp, p)) r++;
    imageRanks[t] = r;
    if (bestText[p] < 0 || before(sp, t, bestScore[p], bestText[p])) {
      bestScore[p] = sp;
      bestText[p] = t;
    }
  }
  // Second pass: for each image count the texts ranking before its best caption; they are
  // all negatives, since the best caption ranks before the image's other captions.
  const textRanks = new Int32Array(nI).fill(1);
  for (let t = 0; t < nT; t++) {
    dotRow(texts, t, images, nI, dim, row);
    for (let i = 0; i < nI; i++) if (t !== bestText[i] && before(row[i], t, bestScore[i], bestText[i])) textRanks[i]++;
  }
  return { imageRanks, textRanks };
}

/** All retrieval metrics from embeddings; see the module comment for the definitions. */
export function retrievalMetrics(input: RetrievalInput): RetrievalMetrics {
  const { imageRanks, textRanks } = retrievalRanks(input);
  return retrievalMetricsFromRanks(imageRanks, textRanks);
}

/** Metrics from per-query ranks: `imageRanks` (T,) text → image, `textRanks` (I,) image → text. */
export function retrievalMetricsFromRanks(imageRanks: Int32Array, textRanks: Int32Array): RetrievalMetrics {
  const recall: Record<string, RecallAtK> = {};
  for (const k of RECALL_KS) {
    recall[`image_retrieval_recall@${k}`] = recallFromRanks(imageRanks, k);
    recall[`text_retrieval_recall@${k}`] = recallFromRanks(textRanks, k);
  }
  return {
    nImages: textRanks.length,
    nTexts: imageRanks.length,
    recall,
    imageRetrievalMeanRank: mean(imageRanks),
    imageRetrievalMedianRank: median(imageRanks),
    textRetrievalMeanRank: mean(textRanks),
    textRetrievalMedianRank: median(textRanks),
    meanRecallAt1: 0.5 * (recall['image_retrieval_recall@1'].value + recall['text_retrieval_recall@1'].value),
  };
}

/**
 * Retrieval metrics per group of images (`--group-by`): for each value of `imageGroups` (I,),
 * its images' image→text ranks and their captions' text→image ranks, as ranked against the
 * whole gallery, give the group's recall@k and mean R@1. Keyed by value in a null-prototype
 * object (values are user data).
 * @param imageRanks (T,) text → image ranks, @param textRanks (I,), @param textImage (T,) caption → image
 */
export function retrievalGroups(imageRanks: Int32Array, textRanks: Int32Array, textImage: Int32Array, imageGroups: readonly string[]): Record<string, RetrievalMetrics> {
  const out = Object.create(null) as Record<string, RetrievalMetrics>;
  for (const value of [...new Set(imageGroups)].sort()) {
    const images: number[] = [];
    imageGroups.forEach((g, i) => { if (g === value) images.push(textRanks[i]); });
    const texts: number[] = [];
    textImage.forEach((i, t) => { if (imageGroups[i] === value) texts.push(imageRanks[t]); });
    out[value] = retrievalMetricsFromRanks(Int32Array.from(texts), Int32Array.from(images));
  }
  return out;
}
