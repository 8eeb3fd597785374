import type { ModelInfo } from './types.js';

/**
 * What the execution provider adds to an identity (result id, cache namespace, classifier key):
 * nothing on the CPU, so every CPU identity is what it was before the provider was recorded;
 * `{ executionProvider }` otherwise, because ONNX Runtime's CUDA kernels give other floats (TF32
 * matmuls and convolutions by default, other reduction orders) and their embeddings must neither
 * be served to a CPU run from the cache nor share its result.
 */
export function providerIdentity(info: Pick<ModelInfo, 'executionProvider'>): { executionProvider?: 'cuda' } {
  return info.executionProvider ? { executionProvider: info.executionProvider } : {};
}
