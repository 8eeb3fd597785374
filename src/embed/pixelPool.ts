import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ZeroshiftError, type ErrorCode } from '../errors.js';
import type { RawImage } from '../image/rawImage.js';
import type { PreprocessorConfig } from '../model/types.js';
import type { ShiftAssets, ShiftRequest } from '../shifts/types.js';
import type { PreCrop } from './imageKey.js';
import type { DecodeSettings, PixelGroupRequest, ShiftPixels } from './pixelWork.js';

/** An image for a decode worker: encoded bytes to decode there, or pixels made in the main thread (raw and generated sources). */
export type PoolItem =
  | { index: number; sampleId: string; bytes: Uint8Array; name: string }
  | { index: number; sampleId: string; image: RawImage };

/** A decode's outcome, per item: its decoded size (the pixels stay in the worker), or the message it failed with. */
export type DecodedItem = { width: number; height: number } | { error: string };

/** Messages to a worker (`pixelWorker.ts`), one kind per job. A chunk's images stay in the worker that decoded them until released. */
export type PixelRequest =
  | { id: number; kind: 'decode'; chunk: number; items: PoolItem[]; crop: PreCrop; settings: DecodeSettings; concurrency: number }
  | { id: number; kind: 'pixels'; chunk: number; indices: number[]; ids: string[]; shift: ShiftRequest | null; groups: PixelGroupRequest[]; preprocessors: PreprocessorConfig[]; concurrency: number }
  | { id: number; kind: 'release'; chunk: number };

/** A worker's answer: the job's value, or the error it threw (code kept, so the CLI's exit status is the in-process one). */
export type PixelResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: ErrorCode | null; message: string; hint?: string } };

interface Slot {
  worker: Worker;
  inFlight: number;
}

interface Pending {
  slot: Slot;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Decode workers (`--decode-workers N`): N worker threads that decode, pre-crop, shift and
 * preprocess, so that the main thread, which ONNX Runtime's node binding blocks during every
 * `session.run`, only infers. A chunk is decoded by the least busy worker and its pixels stay
 * there (moving ImageNet-sized images between threads cost more than shifting them); its shift
 * jobs go to the same worker, and only encoded bytes go in and preprocessed batches come out,
 * both transferred. Parallelism comes from several chunks in flight. The workers run the same
 * functions as the in-process path (`pixelWork.ts`), so results are byte-identical. A pool
 * holds the event loop open only while it has jobs in flight.
 */
export class PixelPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending>();
  private readonly chunks = new Map<number, Slot>();
  private nextId = 0;
  private nextChunk = 0;
  private failure: Error | null = null;
  private closed = false;

  /** Starts `size` workers; `assets` (frost's photographs) are copied to each once. */
  constructor(readonly size: number, assets?: ShiftAssets) {
    if (!Number.isInteger(size) || size < 1) throw new ZeroshiftError('USAGE', `decode workers: ${size} is not a positive integer`);
    const url = workerUrl();
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: new Worker(url, { workerData: { assets: assets ?? {} } }), inFlight: 0 };
      slot.worker.on('message', (m: PixelResponse) => this.settle(slot, m));
      slot.worker.on('error', (e) => this.fail(new ZeroshiftError('INTERNAL', `decode worker failed: ${e.message}`, { cause: e })));
      slot.worker.on('exit', (code) => {
        if (!this.closed) this.fail(new ZeroshiftError('INTERNAL', `decode worker exited with code ${code}`));
      });
      slot.worker.unref();
      return slot;
    });
  }

  /**
   * Decodes one chunk's images on the least busy worker, which keeps them for the chunk's shift
   * jobs until `release`. `transfer` lists buffers the caller gives up (files it read itself).
   * @returns a chunk id for `pixels` and `release`, and per item its decoded size or failure
   */
  async decode(items: PoolItem[], crop: PreCrop, settings: DecodeSettings, concurrency: number, transfer: ArrayBuffer[] = []): Promise<{ chunk: number; decoded: DecodedItem[] }> {
    const chunk = this.nextChunk++;
    const slot = this.slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    this.chunks.set(chunk, slot);
    const decoded = (await this.submit(slot, { kind: 'decode', chunk, items, crop, settings: { exifRotate: settings.exifRotate, limitInputPixels: settings.limitInputPixels }, concurrency }, transfer)) as DecodedItem[];
    return { chunk, decoded };
  }

  /** Shifts and preprocesses images of a decoded chunk (by their item `index`) for the groups (see `shiftAndPreprocess`). */
  pixels(chunk: number, indices: number[], ids: string[], shift: ShiftRequest | null, groups: PixelGroupRequest[], preprocessors: PreprocessorConfig[], concurrency: number): Promise<ShiftPixels> {
    const slot = this.chunks.get(chunk);
    if (!slot) return Promise.reject(this.failure ?? new ZeroshiftError('INTERNAL', `decode workers: chunk ${chunk} is not held by any worker`));
    return this.submit(slot, { kind: 'pixels', chunk, indices, ids, shift, groups, preprocessors, concurrency }) as Promise<ShiftPixels>;
  }

  /** Lets the worker holding a chunk drop its images. */
  release(chunk: number): void {
    const slot = this.chunks.get(chunk);
    this.chunks.delete(chunk);
    if (slot && !this.closed) slot.worker.postMessage({ id: -1, kind: 'release', chunk } satisfies PixelRequest);
  }

  /** Stops every worker; jobs still in flight are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new ZeroshiftError('INTERRUPTED', 'decode workers closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private submit(slot: Slot, request: PixelRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, resolve, reject });
      if (slot.inFlight++ === 0) slot.worker.ref();
      slot.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private settle(slot: Slot, m: PixelResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (--slot.inFlight === 0) slot.worker.unref();
    if (m.ok) p.resolve(m.value);
    // An error without a code is a bug in the worker: INTERNAL, as it would be in this thread.
    else p.reject(new ZeroshiftError(m.error.code ?? 'INTERNAL', m.error.message, { hint: m.error.hint }));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) {
      p.slot.inFlight = 0;
      p.slot.worker.unref();
      p.reject(this.failure);
    }
    this.pending.clear();
  }
}

/**
 * The compiled worker beside this module; from the TypeScript sources (vitest), the one in
 * dist/, which the test setup builds first (a worker thread cannot load .ts files).
 */
function workerUrl(): URL {
  const sibling = new URL('./pixelWorker.js', import.meta.url);
  return existsSync(fileURLToPath(sibling)) ? sibling : new URL('../../dist/embed/pixelWorker.js', import.meta.url);
}
