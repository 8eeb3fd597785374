import { z } from 'zod';

/**
 * compare.json: the paired comparison of two result sets, versioned and validated on write.
 * Fractions throughout (accuracies, differences, CI bounds); `difference` is B − A.
 */
export const COMPARE_SCHEMA_VERSION = 1;

const unitKey = z.object({
  dataset: z.string(),
  shift: z.object({ corruption: z.string(), severity: z.number().int() }).nullable(),
  /** The text shift of both results (`--text-shift`); absent = none. */
  textShift: z.object({ name: z.string(), severity: z.number().int() }).optional(),
  prompts: z.string(),
});

const flip = z.object({
  id: z.string(),
  label: z.string(),
  a: z.object({ predicted: z.string(), score: z.number() }),
  b: z.object({ predicted: z.string(), score: z.number() }),
});

const side = z.object({
  /** How the side was chosen: the paths and the `--a`/`--b` selector (null: every result there). */
  paths: z.array(z.string()),
  selector: z.string().nullable(),
  /** The models (name, dtype, execution provider unless cpu, vision tower hash) whose results form the side. */
  models: z.array(z.object({ name: z.string(), dtype: z.string(), executionProvider: z.string().optional(), visionModel: z.string() })),
  /** The prompt sets of the side's results. */
  prompts: z.array(z.string()),
});

export const compareUnitSchema = z.object({
  key: unitKey,
  files: z.object({ a: z.string(), b: z.string() }),
  resultIds: z.object({ a: z.string(), b: z.string() }),
  n: z.number().int().positive(),
  accA: z.number(),
  accB: z.number(),
  difference: z.object({ estimate: z.number(), ci: z.tuple([z.number(), z.number()]) }),
  /** The paired table: both right, only A right, only B right, both wrong. */
  table: z.object({ bothRight: z.number().int(), onlyA: z.number().int(), onlyB: z.number().int(), bothWrong: z.number().int() }),
  mcnemarP: z.number(),
  /** A right → B wrong, B's most confident first; at most `flipsShown` (the count is table.onlyA). */
  lost: z.array(flip),
  /** A wrong → B right, A's most confident first; at most `flipsShown` (the count is table.onlyB). */
  gained: z.array(flip),
  classes: z.array(z.object({ index: z.number().int(), name: z.string(), n: z.number().int(), accA: z.number(), accB: z.number(), change: z.number() })),
});

export const compareSchema = z.object({
  schemaVersion: z.literal(COMPARE_SCHEMA_VERSION),
  kind: z.literal('zeroshift-compare'),
  createdAt: z.string(),
  zeroshiftVersion: z.string(),
  command: z.array(z.string()),
  a: side,
  b: side,
  /** The accuracy-difference interval: Newcombe's paired square-and-add score interval. */
  ciMethod: z.literal('newcombe-paired-score'),
  confidence: z.number(),
  pValue: z.literal('mcnemar-exact'),
  flipsShown: z.number().int().nonnegative(),
  topClasses: z.number().int().nonnegative(),
  units: z.array(compareUnitSchema),
  /** Units only one side has: listed, not compared. */
  unpaired: z.array(z.object({ key: unitKey, side: z.enum(['a', 'b']), file: z.string() })),
});

export type CompareReport = z.infer<typeof compareSchema>;
export type CompareUnitRecord = z.infer<typeof compareUnitSchema>;
