import type { Metrics } from './schema.js';
import { Registry } from '../util/registry.js';

/** A headline metric the report and runner can list, read from a result's `metrics`. */
export interface MetricDef {
  description: string;
  /** Direction of improvement, for sorting and "best" markers. */
  higherIsBetter: boolean;
  /** The value, or undefined when the metric does not exist for the run (acc5 with C < 5). */
  read(m: Metrics): number | undefined;
}

/** Headline metrics keyed by the ids used on the command line and in reports. */
export const METRICS = new Registry<MetricDef>('metric')
  .register('acc1', {
    description: 'top-1 accuracy (ties go to the lower class index), with an exact 95 % Clopper–Pearson interval',
    higherIsBetter: true,
    read: (m) => m.acc1,
  })
  .register('acc5', {
    description: 'top-5 accuracy; absent when the task has fewer than 5 classes',
    higherIsBetter: true,
    read: (m) => m.acc5,
  })
  .register('mean_per_class_recall', {
    description: 'mean of per-class recall over classes that have samples (sklearn balanced_accuracy_score)',
    higherIsBetter: true,
    read: (m) => m.meanPerClassRecall,
  })
  .register('ece', {
    description: 'expected calibration error, L1, 15 equal-width bins over the max softmax probability',
    higherIsBetter: false,
    read: (m) => m.ece,
  });

/** The definition of metric `id`; unknown ids throw a USAGE error listing the known ones. */
export function getMetric(id: string): MetricDef {
  return METRICS.get(id);
}
