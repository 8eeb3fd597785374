import type { ShiftAssets, ShiftRequest } from '../shifts/types.js';
import type { ScoringProtocol } from '../datasets/scoringProtocol.js';
import type { TaskId } from '../results/taskIds.js';
import type { TaskUnitOptions } from './task.js';
import type { TextShiftRequest } from '../textShifts/types.js';

/** A dataset to evaluate, resolved from a spec or a family variant. */
export interface EvalTarget {
  spec: string;
  family: string | null;
  variant: string | null;
  isStandard: boolean;
  /** Name of the class subset restricting the classifier, if any. */
  subset: string | null;
  /** Scoring protocol note recorded in results (e.g. the ObjectNet rule). */
  protocol: string | null;
  /** How items are scored (class columns, label → acceptable columns, pre-crop); recorded in results. */
  scoringProtocol: ScoringProtocol;
  /** Class names of the classifier space when it differs from the dataset's own (subsets, mappings). */
  classSpace?: string[];
  /** Shipped prompt set that fits this target when none is named. */
  promptKey?: string;
  /** Per-item metadata fields to report per-group metrics over (`--group-by`, suite `groupBy`, dataset protocols). */
  groupBy?: GroupRequest[];
}

/** One `--group-by` field, and the metric its worst/best group is ranked by (DataComp's Dollar Street rule: acc5). */
export interface GroupRequest {
  field: string;
  by?: 'acc1' | 'acc5';
  /** Values reported but never worst or best (DataComp's FMoW: region "Other"). */
  exclude?: string[];
}

export type Ensembling = 'clip' | 'testbed';

/**
 * A prompt set by id/path (`set`), literal templates (`templates`), or a set's class names with
 * other templates (both: how --each-template scores one template at a time), or a language's
 * prompts (`language`). `name` overrides the recorded name.
 */
export interface PromptRef {
  set?: string;
  templates?: string[];
  name?: string;
  /** `--language LANG`: the language's ImageNet prompts for ImageNet-family targets (eval/languagePrompts.ts). */
  language?: string;
}

/** One work unit: (model, dataset target, shift) with the prompt sets that ride along. */
export interface EvalUnit {
  modelRef: string;
  target: EvalTarget;
  shift: ShiftRequest | null;
  /** The text shift (`--text-shift`) of the texts the model reads: class names in prompts, captions; absent = none. */
  textShift?: TextShiftRequest;
  /** Prompt sets riding along (they share the image embeddings); empty = automatic choice. */
  promptSets: PromptRef[];
  ensembling: Ensembling;
  /** Only items with index in [start, end): set by shards splitting one large unit. */
  range?: { start: number; end: number };
  /** A task other than zero-shot classification (src/tasks/registry.ts), with its options; absent = classification. */
  task?: { id: TaskId; options: TaskUnitOptions };
}

/**
 * Knobs of a run (CLI flags): one object, passed down as is to the units and the embedding
 * stream (which reads batchSize, decodeConcurrency and exifRotate from it).
 */
export interface RunSettings {
  outDir: string;
  /** Embedding cache root, or null for --no-cache. */
  cacheDir: string | null;
  batchSize: number;
  decodeConcurrency: number;
  exifRotate: boolean;
  /** Files some shifts need (frost's photographs): `Plan.shiftAssets`. */
  shiftAssets?: ShiftAssets;
  /** Worker threads that decode, shift and preprocess (`--decode-workers`); 0 or absent = in this thread. */
  decodeWorkers?: number;
  skipExisting: boolean;
  /** The command line, recorded in every result. */
  argv: string[];
  /** `--limit N` with its seed: task results record it (classification records it in the dataset fingerprint). */
  limit?: { n: number; seed: number };
}
