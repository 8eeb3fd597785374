/** zeroshift public API. */
export { ZeroshiftError, isZeroshiftError, type ErrorCode } from './errors.js';
export type { RawImage } from './image/rawImage.js';
export type { Dataset, Sample, SkippedItem, AdapterDef, DatasetSpec } from './datasets/types.js';
export type { Corruption, Severity, ShiftRequest } from './shifts/types.js';
export type { ClipModel, ModelInfo, PreprocessorConfig, LoadModelOptions, Dtype, Device } from './model/types.js';
export { resultSchema, predictionSchema, RESULT_SCHEMA_VERSION, type Result, type Prediction } from './results/schema.js';
export { createRng, type Rng } from './util/rng.js';
