import { z } from 'zod';

/**
 * Per-group metrics (`--group-by FIELD`), shared by classification and task results:
 * `groups.<field>.<value>` and `groupSummary.<field>` (src/metrics/groups.ts computes them).
 */
const ci = z.tuple([z.number(), z.number()]);

export const groupStatsSchema = z.object({ n: z.number().int(), acc1: z.number(), acc1Ci: ci, meanPerClassRecall: z.number(), acc5: z.number().optional() });
export const groupSummarySchema = z.object({
  by: z.enum(['acc1', 'acc5']),
  worst: z.object({ value: z.string(), acc1: z.number(), metric: z.number().optional() }),
  best: z.object({ value: z.string(), acc1: z.number(), metric: z.number().optional() }),
  gap: z.number(),
});
/**
 * A JSON object keyed by user data (group field names and values) read into a null-prototype
 * object, every own key kept: zod's z.record skips a `__proto__` key, which would drop a group
 * named so from every result read back.
 */
export function keyedRecord<T extends z.ZodType>(value: T) {
  return z.unknown().transform((input, ctx): Record<string, z.output<T>> => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      ctx.addIssue({ code: 'custom', message: 'expected an object' });
      return z.NEVER;
    }
    const out = Object.create(null) as Record<string, z.output<T>>;
    for (const key of Object.keys(input)) {
      const parsed = value.safeParse((input as Record<string, unknown>)[key]);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [key, ...issue.path] });
        return z.NEVER;
      }
      out[key] = parsed.data;
    }
    return out;
  });
}

export const groupsSchema = keyedRecord(keyedRecord(groupStatsSchema));
export const groupSummariesSchema = keyedRecord(groupSummarySchema);

export type GroupSummaryRecord = z.infer<typeof groupSummarySchema>;

/**
 * index.csv columns of a result's group summaries, one set per field: the worst group's value,
 * its ranking metric (acc1, or acc5 under Dollar Street's rule) and the best − worst gap.
 */
export function groupIndexColumns(summaries: Record<string, GroupSummaryRecord> | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [field, s] of Object.entries(summaries ?? {})) {
    out[`worst_group:${field}`] = s.worst.value;
    out[`worst_group_${s.by}:${field}`] = s.worst.metric ?? s.worst.acc1;
    out[`group_gap:${field}`] = s.gap;
  }
  return out;
}
