/**
 * One CLIP tower (text or vision) over an ONNX Runtime session: a split tower's own graph, or one
 * side of a combined graph (the other side gets a one-item dummy and only the needed output is
 * read). Returns L2-normalised embeddings.
 */
import * as ort from 'onnxruntime-node';
import { ZeroshiftError } from '../errors.js';
import { fromHalf } from './half.js';
import { declaredInputs, inputOf, pixelFeeds, textFeeds, type DeclaredInput, type TextBatch } from './graphInputs.js';
import { selectOutput, type Modality } from './graphOutputs.js';
import type { Device } from './types.js';

export type TowerKind = Modality;
export type { TextBatch };

export interface TowerOptions {
  device?: Device;
  /** Intra-op threads; 0 or absent lets ONNX Runtime decide. */
  threads?: number;
  /**
   * Let ONNX Runtime's pool threads spin-wait between runs (its own default). Off by default:
   * between two `session.run` calls the main thread reads, decodes and preprocesses the next
   * batch, and a spinning pool thread takes a core from that work (docs/performance.md).
   */
  spinWait?: boolean;
  onWarning?: (message: string) => void;
}

/** An open ONNX graph with its declared inputs checked. */
export interface OnnxGraph {
  path: string;
  session: ort.InferenceSession;
  inputs: DeclaredInput[];
  /** True when the graph takes both token ids and pixels. */
  combined: boolean;
  release(): Promise<void>;
}

export interface OnnxTower {
  kind: TowerKind;
  path: string;
  outputName: string;
  /** Declared shape of the tower's main input (ids or pixels); symbolic dims are strings. */
  inputShape: readonly (number | string)[];
  inputs: readonly DeclaredInput[];
  /** Embedding width from the output metadata, or from a probe run when it is symbolic. */
  embedDim: number;
  /** (N, D) L2-normalised text embeddings. */
  runText(batch: TextBatch): Promise<Float32Array>;
  /** (N, D) L2-normalised image embeddings of (N, 3, H, W) pixels. */
  runPixels(pixels: Float32Array, dims: readonly number[]): Promise<Float32Array>;
  /** As runText/runPixels, but (N, D) as the graph outputs them (unnormalised). */
  runTextRaw(batch: TextBatch): Promise<Float32Array>;
  runPixelsRaw(pixels: Float32Array, dims: readonly number[]): Promise<Float32Array>;
}

/** ONNX Runtime session options for a tower: the bench's ceiling phase uses the same (scripts/bench/phases.mjs). */
export function sessionOptions(options: TowerOptions, providers: string[]): ort.InferenceSession.SessionOptions {
  const spin = options.spinWait ? '1' : '0';
  return {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    // Session config entries (onnxruntime_session_options_config_keys.h). Measured on 2 cores:
    // with spinning, a pool thread kept burning a core for as long as the main thread worked
    // between runs (731 vs 412 CPU ms over 400 ms of main-thread work after 20 runs).
    extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
  };
}

async function createSession(path: string, options: TowerOptions): Promise<ort.InferenceSession> {
  // ONNX Runtime's telemetry, set up with its environment at the first session, reads
  // /proc/self/cmdline (a command line over ~30 KB segfaults, exit 139) and writes
  // $XDG_CACHE_HOME/Microsoft/DeveloperTools/ on every run, outside the directories the user gave.
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  if (options.device === 'cuda') {
    // No silent fallback here: the device is settled per model before its sessions open
    // (model/settleDevice.ts), and a result recorded as CUDA must not come from a CPU session.
    try {
      // Fatal-only logging; nodes the CUDA provider lacks still run on the CPU provider, as ONNX Runtime assigns them.
      return await ort.InferenceSession.create(path, { ...sessionOptions(options, ['cuda', 'cpu']), logSeverityLevel: 4 });
    } catch (e) {
      throw new ZeroshiftError('MODEL', `${path}: cannot open with the CUDA execution provider (${(e as Error).message.split('\n')[0]}); rerun with --device cpu, or install the CUDA files with ONNXRUNTIME_NODE_INSTALL=cuda12 (see docs/models.md)`);
    }
  }
  try {
    return await ort.InferenceSession.create(path, sessionOptions(options, ['cpu']));
  } catch (e) {
    throw new ZeroshiftError('MODEL', `${path}: cannot load ONNX model: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Divides each row of an (N, D) matrix by its L2 norm (eps 1e-12, like F.normalize). */
export function l2NormalizeRows(data: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += data[i * d + j] * data[i * d + j];
    const inv = 1 / Math.max(Math.sqrt(sum), 1e-12);
    for (let j = 0; j < d; j++) out[i * d + j] = data[i * d + j] * inv;
  }
  return out;
}

/**
 * Opens a graph and checks its declared inputs (names, types, ranks).
 * @param names spec overrides for the ids and pixel input names
 */
export async function openGraph(path: string, options: TowerOptions = {}, names: { ids?: string; pixels?: string } = {}): Promise<OnnxGraph> {
  const session = await createSession(path, options);
  try {
    const inputs = declaredInputs(path, session.inputMetadata, names);
    const combined = !!inputOf(inputs, 'ids') && !!inputOf(inputs, 'pixels');
    return { path, session, inputs, combined, release: () => session.release() };
  } catch (e) {
    await session.release();
    throw e;
  }
}

/** float32 view of an output tensor (float16 outputs are converted). */
function floatData(t: ort.Tensor): Float32Array {
  if (t.type === 'float16') return fromHalf(t.data as Uint16Array);
  if (t.type !== 'float32') throw new ZeroshiftError('MODEL', `output has type ${t.type}, expected float32 or float16`);
  return t.data as Float32Array;
}

export interface TowerSetup {
  /** A spec's output name for this tower. */
  output?: string;
  /** One-item dummy text for the vision side of a combined graph (and text probes). */
  dummyText: () => TextBatch;
  /** Pixel size for a combined graph's dummy image and vision probes when the graph's is symbolic. */
  pixelSize?: { height: number; width: number };
}

/**
 * A tower over an open graph. For a combined graph the other modality is fed a one-item dummy.
 * @throws ZeroshiftError('MODEL') when the graph lacks the tower's input or a usable output.
 */
export async function towerOf(graph: OnnxGraph, kind: TowerKind, setup: TowerSetup): Promise<OnnxTower> {
  const role = kind === 'text' ? 'ids' : 'pixels';
  const main = inputOf(graph.inputs, role);
  if (!main) {
    throw new ZeroshiftError('MODEL', `${graph.path}: ${kind} tower must have input '${kind === 'text' ? 'input_ids' : 'pixel_values'}', found ${graph.inputs.map((i) => `'${i.name}'`).join(', ')}`);
  }
  const outputName = selectOutput(graph.path, graph.session.outputMetadata, kind, graph.combined, setup.output);
  const pixels = inputOf(graph.inputs, 'pixels');
  // A combined graph whose text and image batches share one symbolic dim needs the dummy side
  // at the same batch size as the real one.
  const ids = inputOf(graph.inputs, 'ids');
  const sharedBatch = graph.combined && typeof ids?.shape[0] === 'string' && ids.shape[0] === pixels?.shape[0];
  const pixelDims = (n: number): number[] => {
    const [h, w] = [pixels?.shape[2], pixels?.shape[3]];
    const height = typeof h === 'number' ? h : setup.pixelSize?.height ?? 224;
    const width = typeof w === 'number' ? w : setup.pixelSize?.width ?? 224;
    return [n, 3, height, width];
  };
  const run = async (feeds: Record<string, ort.Tensor>, n: number, shapeText: string): Promise<{ data: Float32Array; d: number }> => {
    let out: ort.Tensor;
    try {
      out = (await graph.session.run(feeds, [outputName]))[outputName];
    } catch (e) {
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new ZeroshiftError('MODEL', `${graph.path}: ${kind} tower failed on input [${shapeText}]: ${message}`, { cause: e });
    }
    if (out.dims.length !== 2 || out.dims[0] !== n) {
      throw new ZeroshiftError('MODEL', `${graph.path}: output '${outputName}' has shape [${out.dims.join(', ')}], expected [${n}, D]`);
    }
    return { data: floatData(out), d: out.dims[1] };
  };
  const textRaw = (batch: TextBatch) => {
    const feeds = textFeeds(graph.inputs, batch);
    if (graph.combined) {
      const dims = pixelDims(sharedBatch ? batch.ids.length : 1);
      Object.assign(feeds, pixelFeeds(graph.inputs, new Float32Array(dims.reduce((a, b) => a * b)), dims));
    }
    return run(feeds, batch.ids.length, `${batch.ids.length}, ${batch.ids[0]?.length ?? 0}`);
  };
  const pixelsRaw = (data: Float32Array, dims: readonly number[]) => {
    const feeds = pixelFeeds(graph.inputs, data, dims);
    if (graph.combined) {
      const one = setup.dummyText();
      const n = sharedBatch ? dims[0] : 1;
      Object.assign(feeds, textFeeds(graph.inputs, { ids: new Array<number[]>(n).fill(one.ids[0]), lengths: new Array<number>(n).fill(one.lengths[0]) }));
    }
    return run(feeds, dims[0], dims.join(', '));
  };
  let embedDim = (graph.session.outputMetadata.find((m) => m.name === outputName) as ort.InferenceSession.TensorValueMetadata | undefined)?.shape?.at(-1);
  if (typeof embedDim !== 'number') {
    const dims = pixelDims(1);
    embedDim = kind === 'text' ? (await textRaw(setup.dummyText())).d : (await pixelsRaw(new Float32Array(dims.reduce((a, b) => a * b)), dims)).d;
  }
  return {
    kind, path: graph.path, outputName, inputShape: main.shape, inputs: graph.inputs, embedDim,
    runText: async (batch) => {
      const { data, d } = await textRaw(batch);
      return l2NormalizeRows(data, batch.ids.length, d);
    },
    runPixels: async (data, dims) => {
      const out = await pixelsRaw(data, dims);
      return l2NormalizeRows(out.data, dims[0], out.d);
    },
    runTextRaw: async (batch) => (await textRaw(batch)).data,
    runPixelsRaw: async (data, dims) => (await pixelsRaw(data, dims)).data,
  };
}
