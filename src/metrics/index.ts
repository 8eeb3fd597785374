export { topK, topKRowInto, ranksBefore, type TopK } from './topK.js';
export { accuracyTopK, argmaxRows, countCorrectInTop, type AccuracyCount } from './accuracy.js';
export {
  confusionMatrix, meanPerClassRecall, perClassFromTally, tallyPredictions,
  type ClassTally, type MeanRecall, type PerClassRecord,
} from './classwise.js';
export { acceptableSetsRule, labelRule, type IsCorrect } from './correctness.js';
export { ECE_BINS, eceBin, expectedCalibrationError } from './calibration.js';
export { clopperPearson } from './clopperPearson.js';
export { MCNEMAR_EXACT_BELOW, mcnemar, mcnemarFromCounts, type McNemarResult } from './mcnemar.js';
export { MAX_CONFUSION_CLASSES, type MetricsReport } from './report.js';
export { computeMetrics, type MetricsInput } from './compute.js';
export { createMetricsAccumulator, predictItem, type ItemPrediction, type MetricsAccumulator } from './accumulator.js';
export { METRICS, getMetric, type MetricDef } from './registry.js';
