/**
 * transformers.js dtype names and the file-name suffix each selects (`onnx/text_model_fp16.onnx`…).
 * fp16 exports keep float32 inputs and outputs; the session's declared input types decide the
 * feeds (model/graphInputs.ts), so every dtype runs through the same path. It lives in hub/ because
 * Hub file selection needs it and model/ builds on hub/ (never the reverse).
 */
import { ZeroshiftError } from '../errors.js';

export const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type Dtype = (typeof DTYPES)[number];

/** File-name suffix (before `.onnx`) of each dtype, as transformers.js names its exports. */
export const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4', q4f16: '_q4f16', bnb4: '_bnb4',
};

/** Validates a --dtype value. @throws ZeroshiftError('USAGE') listing the valid names. */
export function parseDtype(value: string): Dtype {
  if ((DTYPES as readonly string[]).includes(value)) return value as Dtype;
  throw new ZeroshiftError('USAGE', `unknown dtype '${value}' (valid: ${DTYPES.join(', ')})`);
}
