import * as ort from 'onnxruntime-node';

/** Whether the CUDA execution provider works here, and why not when it does not. */
export interface CudaProbe {
  available: boolean;
  reason?: string;
}

/**
 * Tries to open `onnxPath` with the CUDA execution provider alone (no CPU fallback), so a run
 * can decide its device once: a missing provider is one warning and a recorded fallback, not
 * a warning per tower and per model (and none on a warm cache, where no session is created).
 */
export async function probeCuda(onnxPath: string): Promise<CudaProbe> {
  let session: ort.InferenceSession | undefined;
  // ONNX Runtime prints a missing provider library natively (not through session options'
  // log level) at the level of its environment, which the first session fixes: fatal only.
  ort.env.logLevel = 'fatal';
  try {
    session = await ort.InferenceSession.create(onnxPath, { executionProviders: ['cuda'], logSeverityLevel: 4 });
    return { available: true };
  } catch (e) {
    return { available: false, reason: (e as Error).message.split('\n')[0] };
  } finally {
    await session?.release();
  }
}
