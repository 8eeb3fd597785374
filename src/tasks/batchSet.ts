import type { EmbeddedBatch } from '../embed/lanes.js';
import type { EmbeddedSet } from '../embed/collect.js';

/**
 * Keeps a lane's embedded batches, in dataset order, for tasks whose metrics need every
 * item at once (recall over all images, AP per class, a probe's decision scores).
 */
export class BatchSet {
  private readonly ids: string[] = [];
  private readonly labels: number[] = [];
  private readonly chunks: Float32Array[] = [];

  constructor(readonly dim: number) {}

  add(batch: EmbeddedBatch): void {
    for (const item of batch.items) {
      this.ids.push(item.id);
      this.labels.push(item.label);
    }
    this.chunks.push(batch.embeddings);
  }

  /** The items so far: (N, D) row-major embeddings with their ids and labels. */
  set(): Pick<EmbeddedSet, 'ids' | 'labels' | 'x' | 'dim'> {
    const x = new Float32Array(this.ids.length * this.dim);
    let row = 0;
    for (const c of this.chunks) {
      x.set(c, row * this.dim);
      row += c.length / this.dim;
    }
    return { ids: this.ids, labels: Int32Array.from(this.labels), x, dim: this.dim };
  }
}
