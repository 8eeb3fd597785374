/**
 * Which graph output is the embedding, chosen once at load: `text_embeds`/`image_embeds` (CLIP,
 * optimum), then `pooler_output` (SigLIP's split towers, whose first output is the 3-D
 * `last_hidden_state`), then other names exporters use. A combined graph must name its outputs
 * per modality, since both towers share it.
 */
import type * as ort from 'onnxruntime-node';
import { ZeroshiftError } from '../errors.js';

export type Modality = 'text' | 'vision';

const PREFERENCE: Record<Modality, string[]> = {
  text: ['text_embeds', 'pooler_output', 'text_embeddings', 'text_features', 'sentence_embedding', 'embeddings', 'l2norm_text_embeddings'],
  vision: ['image_embeds', 'pooler_output', 'image_embeddings', 'image_features', 'embeddings', 'l2norm_image_embeddings'],
};
/** Names that say which tower they come from, so they can be read from a combined graph. */
const COMBINED: Record<Modality, string[]> = {
  text: ['text_embeds', 'text_embeddings', 'text_features', 'l2norm_text_embeddings'],
  vision: ['image_embeds', 'image_embeddings', 'image_features', 'l2norm_image_embeddings'],
};

function describe(meta: readonly ort.InferenceSession.ValueMetadata[]): string {
  return meta.map((m) => (m.isTensor ? `'${m.name}' [${m.shape.join(', ')}]` : `'${m.name}'`)).join(', ');
}

/** The known names for `kind`, most preferred first (for messages and docs). */
export function embeddingOutputNames(kind: Modality, combined: boolean): readonly string[] {
  return combined ? COMBINED[kind] : PREFERENCE[kind];
}

/**
 * Picks the embedding output of a graph.
 * @param override a spec's textOutput/visionOutput, used as given (must exist and be 2-D)
 * @throws ZeroshiftError('MODEL') listing the outputs found and the names expected.
 */
export function selectOutput(path: string, meta: readonly ort.InferenceSession.ValueMetadata[], kind: Modality, combined: boolean, override?: string): string {
  const rank2 = (m: ort.InferenceSession.ValueMetadata): boolean => !m.isTensor || m.shape.length === 2;
  if (override !== undefined) {
    const m = meta.find((o) => o.name === override);
    if (!m) throw new ZeroshiftError('MODEL', `${path}: the spec names ${kind} output '${override}', but the graph's outputs are ${describe(meta)}`);
    if (!rank2(m)) throw new ZeroshiftError('MODEL', `${path}: ${kind} output '${override}' has shape [${m.isTensor ? m.shape.join(', ') : ''}], expected [batch, width]`);
    return override;
  }
  const names = embeddingOutputNames(kind, combined);
  for (const name of names) {
    const m = meta.find((o) => o.name === name);
    if (m && rank2(m)) return name;
  }
  const what = combined ? `combined graph has no ${kind} embedding output` : `no 2-D ${kind} embedding output`;
  throw new ZeroshiftError('MODEL', `${path}: ${what}: found ${describe(meta)}, expected one of ${names.join(', ')} (a spec's ${kind}Output can name it)`);
}
