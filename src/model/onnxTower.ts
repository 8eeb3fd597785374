/**
 * One CLIP tower (text or vision) as an ONNX Runtime session that returns L2-normalised
 * embeddings.
 */
import * as ort from 'onnxruntime-node';
import { ZeroshiftError } from '../errors.js';
import type { Device } from './types.js';

export type TowerKind = 'text' | 'vision';

interface TowerSpec {
  input: string;
  preferredOutput: string;
}

const TOWER_SPECS: Record<TowerKind, TowerSpec> = {
  text: { input: 'input_ids', preferredOutput: 'text_embeds' },
  vision: { input: 'pixel_values', preferredOutput: 'image_embeds' },
};

export interface TowerOptions {
  device?: Device;
  /** Intra-op threads; 0 or absent lets ONNX Runtime decide. */
  threads?: number;
  onWarning?: (message: string) => void;
}

export interface OnnxTower {
  kind: TowerKind;
  path: string;
  outputName: string;
  /** Declared input shape, e.g. ['batch_size', 3, 64, 64]; symbolic dims are strings. */
  inputShape: readonly (number | string)[];
  /** Embedding width from the output metadata, or from a probe run when it is symbolic. */
  embedDim: number;
  /**
   * Runs the tower on a batch of `n` items: int64 token ids (N, L) for text, float32 pixels
   * (N, 3, H, W) for vision.
   * @returns (N, D) L2-normalised embeddings.
   */
  run(input: Float32Array | BigInt64Array, dims: readonly number[]): Promise<Float32Array>;
  /** As `run`, but the (N, D) embeddings as the tower outputs them (unnormalised). */
  runRaw(input: Float32Array | BigInt64Array, dims: readonly number[]): Promise<Float32Array>;
  release(): Promise<void>;
}

function sessionOptions(options: TowerOptions, providers: string[]): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  };
}

async function createSession(path: string, options: TowerOptions): Promise<ort.InferenceSession> {
  if (options.device === 'cuda') {
    try {
      // Fatal-only logging: a missing CUDA provider is reported once, through onWarning.
      return await ort.InferenceSession.create(path, { ...sessionOptions(options, ['cuda', 'cpu']), logSeverityLevel: 4 });
    } catch (e) {
      options.onWarning?.(
        `CUDA execution provider unavailable (${(e as Error).message.split('\n')[0]}); running ${path} on CPU. ` +
          'Install the CUDA files with ONNXRUNTIME_NODE_INSTALL=cuda12 (see docs/models.md).',
      );
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
    for (let j = 0; j < d; j++) sum += data[i * d + j]! * data[i * d + j]!;
    const inv = 1 / Math.max(Math.sqrt(sum), 1e-12);
    for (let j = 0; j < d; j++) out[i * d + j] = data[i * d + j]! * inv;
  }
  return out;
}

function tensorMeta(meta: readonly ort.InferenceSession.ValueMetadata[], name: string): readonly (number | string)[] {
  const m = meta.find((v) => v.name === name);
  return m && m.isTensor ? m.shape : [];
}

function pickOutput(session: ort.InferenceSession, spec: TowerSpec): string {
  return session.outputNames.includes(spec.preferredOutput) ? spec.preferredOutput : session.outputNames[0]!;
}

async function runSession(session: ort.InferenceSession, spec: TowerSpec, outputName: string, input: Float32Array | BigInt64Array, dims: readonly number[]): Promise<{ data: Float32Array; d: number }> {
  const type = input instanceof BigInt64Array ? 'int64' : 'float32';
  const tensor = new ort.Tensor(type, input, dims);
  const result = await session.run({ [spec.input]: tensor }, [outputName]);
  const output = result[outputName]!;
  const d = output.dims[output.dims.length - 1]!;
  if (output.dims.length !== 2 || output.dims[0] !== dims[0]) {
    throw new ZeroshiftError('MODEL', `output '${outputName}' has shape [${output.dims.join(', ')}], expected [${dims[0]}, D]`);
  }
  return { data: output.data as Float32Array, d };
}

function probeInput(kind: TowerKind, shape: readonly (number | string)[]): { input: Float32Array | BigInt64Array; dims: number[] } {
  const dims = shape.map((s, i) => (typeof s === 'number' ? s : i === 0 ? 1 : kind === 'text' ? 77 : 224));
  dims[0] = 1;
  const size = dims.reduce((a, b) => a * b, 1);
  return kind === 'text' ? { input: new BigInt64Array(size), dims } : { input: new Float32Array(size), dims };
}

/**
 * Opens an ONNX tower and checks its input name.
 * @throws ZeroshiftError('MODEL') naming the file, the expected and the found input names.
 */
export async function openTower(path: string, kind: TowerKind, options: TowerOptions = {}): Promise<OnnxTower> {
  const spec = TOWER_SPECS[kind];
  const session = await createSession(path, options);
  if (!session.inputNames.includes(spec.input)) {
    await session.release();
    throw new ZeroshiftError('MODEL', `${path}: ${kind} tower must have input '${spec.input}', found ${session.inputNames.map((n) => `'${n}'`).join(', ')}`);
  }
  const outputName = pickOutput(session, spec);
  const inputShape = tensorMeta(session.inputMetadata, spec.input);
  let embedDim = tensorMeta(session.outputMetadata, outputName).at(-1);
  if (typeof embedDim !== 'number') {
    const probe = probeInput(kind, inputShape);
    embedDim = (await runSession(session, spec, outputName, probe.input, probe.dims)).d;
  }
  const runRaw = async (input: Float32Array | BigInt64Array, dims: readonly number[]): Promise<{ data: Float32Array; d: number }> => {
    try {
      return await runSession(session, spec, outputName, input, dims);
    } catch (e) {
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new ZeroshiftError('MODEL', `${path}: ${kind} tower failed on input [${dims.join(', ')}]: ${message}`, { cause: e });
    }
  };
  return {
    kind, path, outputName, inputShape, embedDim,
    run: async (input, dims) => {
      const { data, d } = await runRaw(input, dims);
      return l2NormalizeRows(data, dims[0]!, d);
    },
    runRaw: async (input, dims) => (await runRaw(input, dims)).data,
    release: () => session.release(),
  };
}
