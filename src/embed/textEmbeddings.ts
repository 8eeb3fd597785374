import { EmbeddingCache } from '../cache/embeddingCache.js';
import type { ClipModel } from '../model/types.js';
import { providerIdentity } from '../model/executionProvider.js';
import { sha256 } from '../util/hash.js';
import type { Logger } from '../util/log.js';
import { ZeroshiftError } from '../errors.js';

/**
 * Opens the text-embedding cache of a model: the same content-addressed pack store as image
 * embeddings, in its own text namespace (under `texts/`) keyed by the text tower, tokenizer and
 * context length, so captions and prompts are embedded once per model.
 */
export function openTextCache(root: string, model: ClipModel, log: Logger): Promise<EmbeddingCache> {
  return EmbeddingCache.open(root, { kind: 'text', textModelHash: model.info.hashes.textModel, tokenizerHash: model.info.hashes.tokenizer, contextLength: model.info.contextLength, embedDim: model.info.embedDim, ...providerIdentity(model.info) }, log);
}

/** How `embedTexts` runs: batch size, Ctrl-C, progress. */
export interface EmbedTextsOptions {
  batchSize?: number;
  /** Checked before each batch: once tripped, throws INTERRUPTED (batches already embedded stay in the cache). */
  signal?: AbortSignal;
  /** Texts embedded so far (cache hits not counted). */
  onProgress?(done: number): void;
  /** The texts of each batch just embedded (and stored in the cache), by count. */
  onEmbedded?(count: number): void;
}

/**
 * (T, D) L2-normalised embeddings of `texts`, from the cache where present. Tens of thousands
 * of captions take the text tower many seconds, so Ctrl-C stops between batches.
 */
export async function embedTexts(model: ClipModel, texts: readonly string[], cache: EmbeddingCache | null, options: EmbedTextsOptions = {}): Promise<{ x: Float32Array; computed: number; cached: number }> {
  const batchSize = options.batchSize ?? 256;
  const dim = model.info.embedDim;
  const x = new Float32Array(texts.length * dim);
  const missing: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const hit = await cache?.get(sha256(texts[i]));
    if (hit) x.set(hit, i * dim);
    else missing.push(i);
  }
  for (let b = 0; b < missing.length; b += batchSize) {
    if (options.signal?.aborted) throw new ZeroshiftError('INTERRUPTED', `stopped embedding texts after ${b} of ${missing.length}`);
    const idx = missing.slice(b, b + batchSize);
    const emb = await model.encodeText(idx.map((i) => texts[i]));
    const fresh = idx.map((i, r) => {
      const e = emb.slice(r * dim, (r + 1) * dim);
      x.set(e, i * dim);
      return { key: sha256(texts[i]), embedding: e };
    });
    await cache?.putMany(fresh);
    options.onEmbedded?.(idx.length);
    options.onProgress?.(Math.min(b + batchSize, missing.length));
  }
  return { x, computed: missing.length, cached: texts.length - missing.length };
}
