/**
 * The headline metrics of one result (`metrics` in a result file). Defined here, in the metrics
 * layer, so metrics code never imports results/; results/schema.ts composes it into the file format.
 */
import { z } from 'zod';

const ci = z.tuple([z.number(), z.number()]);

export const metricsSchema = z.object({
  n: z.number().int().nonnegative(),
  acc1: z.number(),
  acc1Ci: ci,
  /** Omitted (not 0) when there are fewer than 5 classes. */
  acc5: z.number().optional(),
  acc5Ci: ci.optional(),
  meanPerClassRecall: z.number(),
  ece: z.number(),
});

export type Metrics = z.infer<typeof metricsSchema>;
