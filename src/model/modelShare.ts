/**
 * What the models of one run share when their files are the same: an open ONNX graph (one
 * session, created once and released with the last model that uses it) and a built tokenizer.
 * The shapes zoo and the robust variant name tiny-clip-shapes' text tower and tokenizer, so a
 * 3-model run created 3 text sessions and built 3 BPE tokenizers from identical files; ONNX
 * Runtime creates a session synchronously on the main thread, so that time could not overlap
 * anything else either. A caller makes one per run and passes it in `LoadModelOptions.share`;
 * without it nothing is shared.
 */
import type { OnnxGraph } from './onnxTower.js';

interface SharedGraph {
  graph: Promise<OnnxGraph>;
  users: number;
}

export class ModelShare {
  readonly #graphs = new Map<string, SharedGraph>();
  readonly #built = new Map<string, unknown>();

  /**
   * The graph under `key` (file content and session options), opened by `open` on first use.
   * Each call returns a handle whose `release` closes the session only when no other handle
   * holds it. A failed open is not kept: the next call tries again.
   */
  async graph(key: string, open: () => Promise<OnnxGraph>): Promise<OnnxGraph> {
    let shared = this.#graphs.get(key);
    if (!shared) {
      const opened = open();
      shared = { graph: opened, users: 0 };
      this.#graphs.set(key, shared);
      opened.catch(() => this.#graphs.delete(key));
    }
    // Counted before the wait, so a release by another holder meanwhile cannot close it under us.
    const entry = shared;
    entry.users++;
    let graph: OnnxGraph;
    try {
      graph = await entry.graph;
    } catch (e) {
      entry.users--;
      throw e;
    }
    let released = false;
    return {
      ...graph,
      release: async () => {
        if (released) return;
        released = true;
        if (--entry.users > 0) return;
        this.#graphs.delete(key);
        await graph.release();
      },
    };
  }

  /** `build()` once per `key` (content hashes of what it reads); later calls get the same value. */
  once<T>(key: string, build: () => T): T {
    if (this.#built.has(key)) return this.#built.get(key) as T;
    const value = build();
    this.#built.set(key, value);
    return value;
  }

  /** Sessions open now (for tests and diagnostics). */
  get openGraphs(): number {
    return this.#graphs.size;
  }
}
