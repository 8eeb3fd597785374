/**
 * Inference input buffers reused from chunk to chunk within one stream. A ViT-B/32 chunk of 32
 * images is a 19 MB (32, 3, 224, 224) float32 tensor; allocated fresh for every chunk, its pages
 * are faulted in (or zeroed) again each time: 82 CPU ms to allocate and fill one on this 2-vCPU
 * VM against 3 ms to refill a reused one, ~2.5 ms per image on the main thread between
 * inferences, where nothing else can run (see docs/performance.md).
 */
export class BatchBuffers {
  private readonly free: Float32Array[] = [];
  /** Buffers this stream handed out: only these come back (a decode worker's batches are left to the collector). */
  private readonly own = new WeakSet<Float32Array>();

  /** @param keep most buffers held for reuse (the stream needs one per pixel group of one shift) */
  constructor(private readonly keep = 4) {}

  /**
   * A buffer of exactly `length` floats: a returned one when there is one (holding its previous
   * values: the caller must write every element), else a new, zeroed one.
   */
  take(length: number): Float32Array {
    const i = this.free.findIndex((b) => b.length === length);
    if (i >= 0) return this.free.splice(i, 1)[0];
    const buffer = new Float32Array(length);
    this.own.add(buffer);
    return buffer;
  }

  /** Hands a buffer back once nothing reads it any more (its inference has returned). */
  give(buffer: Float32Array): void {
    if (!this.own.has(buffer) || this.free.includes(buffer)) return;
    this.free.push(buffer);
    if (this.free.length > this.keep) this.free.shift();
  }
}
