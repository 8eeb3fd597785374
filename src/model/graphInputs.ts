/**
 * Feeds built from what an ONNX graph declares: token ids with the attention mask and token
 * type ids when it asks for them, pixels in the declared float type, and, for a combined graph,
 * a one-item dummy for the other modality. Checked once, when the model loads.
 */
import * as ort from 'onnxruntime-node';
import { ZeroshiftError } from '../errors.js';
import { toHalf } from './half.js';

/** What a graph input carries. */
export type InputRole = 'ids' | 'attentionMask' | 'tokenTypes' | 'positions' | 'pixels';

export interface DeclaredInput {
  name: string;
  type: string;
  shape: readonly (number | string)[];
  role: InputRole;
}

/** Token ids of a batch, each row padded to the same length, and each row's length up to and including its end token. */
export interface TextBatch {
  ids: number[][];
  lengths: number[];
}

const ROLE_BY_NAME: Record<string, InputRole> = {
  input_ids: 'ids', attention_mask: 'attentionMask', token_type_ids: 'tokenTypes', position_ids: 'positions', pixel_values: 'pixels',
};
const INT_TYPES = ['int64', 'int32'];
const ROLE_TYPES: Record<InputRole, string[]> = {
  ids: INT_TYPES, attentionMask: [...INT_TYPES, 'float32', 'bool'], tokenTypes: INT_TYPES, positions: INT_TYPES, pixels: ['float32', 'float16'],
};

/**
 * Classifies and checks a graph's declared inputs.
 * @param names spec overrides: the graph's names for the token ids and the pixels
 * @throws ZeroshiftError('MODEL') for an input zeroshift cannot feed, a wrong type or rank.
 */
export function declaredInputs(path: string, meta: readonly ort.InferenceSession.ValueMetadata[], names: { ids?: string; pixels?: string } = {}): DeclaredInput[] {
  return meta.map((m) => {
    const role: InputRole | undefined = m.name === names.ids ? 'ids' : m.name === names.pixels ? 'pixels' : ROLE_BY_NAME[m.name];
    if (!role) {
      throw new ZeroshiftError('MODEL', `${path}: input '${m.name}' is not one zeroshift can feed (expected ${Object.keys(ROLE_BY_NAME).join(', ')}; a spec's textInput/visionInput can name the ids and pixel inputs)`);
    }
    if (!m.isTensor) throw new ZeroshiftError('MODEL', `${path}: input '${m.name}' is not a tensor`);
    if (!ROLE_TYPES[role].includes(m.type)) {
      throw new ZeroshiftError('MODEL', `${path}: input '${m.name}' has unsupported type ${m.type} (expected ${ROLE_TYPES[role].join(' or ')})`);
    }
    const rank = role === 'pixels' ? 4 : 2;
    if (m.shape.length !== rank || (role === 'pixels' && typeof m.shape[1] === 'number' && m.shape[1] !== 3)) {
      throw new ZeroshiftError('MODEL', `${path}: input '${m.name}' has shape [${m.shape.join(', ')}], expected ${role === 'pixels' ? '[batch, 3, height, width]' : '[batch, sequence]'}`);
    }
    return { name: m.name, type: m.type, shape: m.shape, role };
  });
}

function intTensor(type: string, values: ArrayLike<number>, dims: readonly number[]): ort.Tensor {
  if (type === 'int64') return new ort.Tensor('int64', BigInt64Array.from(values as number[], (v) => BigInt(v)), dims);
  if (type === 'int32') return new ort.Tensor('int32', Int32Array.from(values as number[]), dims);
  if (type === 'bool') return new ort.Tensor('bool', Uint8Array.from(values as number[]), dims);
  return new ort.Tensor('float32', Float32Array.from(values as number[]), dims);
}

/** Feeds for the text inputs of a graph. */
export function textFeeds(inputs: readonly DeclaredInput[], batch: TextBatch): Record<string, ort.Tensor> {
  const n = batch.ids.length;
  const len = batch.ids[0]?.length ?? 0;
  const dims = [n, len];
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    if (input.role === 'ids') feeds[input.name] = intTensor(input.type, batch.ids.flat(), dims);
    else if (input.role === 'attentionMask') {
      feeds[input.name] = intTensor(input.type, batch.lengths.flatMap((l) => Array.from({ length: len }, (_, j) => (j < l ? 1 : 0))), dims);
    } else if (input.role === 'tokenTypes') feeds[input.name] = intTensor(input.type, new Array<number>(n * len).fill(0), dims);
    else if (input.role === 'positions') feeds[input.name] = intTensor(input.type, Array.from({ length: n * len }, (_, i) => i % len), dims);
  }
  return feeds;
}

/** Feeds for the pixel input of a graph: (N, 3, H, W) float32, converted when it declares float16. */
export function pixelFeeds(inputs: readonly DeclaredInput[], pixels: Float32Array, dims: readonly number[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    if (input.role !== 'pixels') continue;
    feeds[input.name] = input.type === 'float16' ? new ort.Tensor('float16', toHalf(pixels), dims) : new ort.Tensor('float32', pixels, dims);
  }
  return feeds;
}

/** The declared input of `role`, if the graph has one. */
export function inputOf(inputs: readonly DeclaredInput[], role: InputRole): DeclaredInput | undefined {
  return inputs.find((i) => i.role === role);
}
