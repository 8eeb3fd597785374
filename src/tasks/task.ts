import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftRequest } from '../shifts/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import type { EmbeddedBatch } from '../embed/lanes.js';
import type { EmbeddedSet } from '../embed/collect.js';
import type { TaskResult } from '../results/envelope.js';
import type { TaskId } from '../results/taskIds.js';
import type { Logger } from '../util/log.js';
import type { PromptInfo } from '../results/schema.js';
import type { ScoringProtocol } from '../datasets/scoringProtocol.js';
import type { OodScoreName } from '../metrics/oodScores.js';
import type { LimitInfo } from '../datasets/limit.js';
import type { TextShifter } from '../textShifts/registry.js';

/** What a dataset must carry for a task: one label, captions, a set of labels. */
export type DatasetKind = 'labelled' | 'captioned' | 'multilabel' | 'selection';

/** The kind of a dataset as its adapter declares it. */
export function datasetKind(d: Pick<Dataset, 'captioned' | 'multilabel' | 'selection'>): DatasetKind {
  return d.selection ? 'selection' : d.captioned ? 'captioned' : d.multilabel ? 'multilabel' : 'labelled';
}

/** Options of a task unit that are not part of the dataset or shift (the probe's train data). */
export interface TaskUnitOptions {
  /** The probe's train split (a dataset spec). */
  trainSpec?: string;
  fewshotK?: number;
  seed: number;
  /** `--group-by` fields (tasks that score single labels report per-group metrics). */
  groupBy: string[];
  /** Zero-shot OOD detection: the OOD set of this unit and how images are scored. */
  ood?: OodOptions;
}

/** A prompt-set reference as data (the eval plan's PromptRef): a set id/path, literal templates, a recorded name. */
export interface PromptChoice {
  set?: string;
  templates?: string[];
  name?: string;
}

/** `--ood-dataset`, `--ood-score`, `--ood-temperature`, and the classifier's prompts. */
export interface OodOptions {
  /** The OOD dataset spec (resolved; one per unit). */
  dataset: string;
  score: OodScoreName;
  temperature: number;
  /** The prompt set of the ID classifier (null = the automatic choice of zero-shot classification). */
  prompt: PromptChoice | null;
  ensembling: 'clip' | 'testbed';
}

/** The zero-shot classifier of a lane's dataset, built exactly as zero-shot classification builds it. */
export interface LaneClassifier {
  /** (rows, D) L2-normalised class embeddings. */
  weights: Float32Array;
  rows: number;
  prompt: PromptInfo;
  /** The target's scoring protocol: scored columns (class subsets) and the labels correct at each. */
  protocol: ScoringProtocol;
  /** Texts the text tower embedded for it now, or whose classifier came from the cache. */
  texts: { computed: number; cached: number };
}

/** What the runner hands a task for one lane: a model under a shift, streaming one dataset. */
export interface TaskLaneInput {
  model: ClipModel;
  dataset: Dataset;
  /** The corruption applied to the images of this lane. */
  shift: ShiftRequest | null;
  /**
   * The lane's text shift (`--text-shift`) as a function of (text, item id): every text the task
   * embeds (captions) goes through it; the identity when the lane has none.
   */
  shiftText: TextShifter;
  options: TaskUnitOptions;
  /** The model's text-embedding cache (its own text namespace), or null for --no-cache. */
  textCache: EmbeddingCache | null;
  /** Opens a dataset the way the plan does (--limit applied). */
  openDataset(spec: string): Promise<Dataset>;
  /** What --limit kept of a dataset this run opened (null without --limit): an OOD set or train split cut short makes the result partial. */
  limitOf(spec: string): LimitInfo | null;
  /**
   * Embeds a whole dataset through the one embedding engine: unshifted (the probe's train
   * split), or under `shift` (the OOD sets of a shifted lane).
   */
  embedDataset(dataset: Dataset, label: string, shift?: ShiftRequest | null): Promise<EmbeddedSet>;
  /**
   * The zero-shot classifier of the lane's dataset for one prompt choice: prompts selected and
   * the classifier built (and cached) by the code zero-shot classification uses.
   */
  zeroShotClassifier(prompt: PromptChoice | null, ensembling: 'clip' | 'testbed'): Promise<LaneClassifier>;
  /**
   * Work that several lanes of one run share (the probe fitted once per model and train split,
   * whatever the number of shifts and test sets): computed once per key and run.
   */
  shared<T>(key: string, make: () => Promise<T>): Promise<T>;
  log: Logger;
  signal?: AbortSignal;
}

/** The task's part of a result: its metric fields, and counts of the texts it embedded. */
export type TaskScore = Pick<TaskResult, 'retrieval' | 'multilabel' | 'probe' | 'metrics' | 'groups' | 'groupSummary' | 'ood'> & {
  trainDataset?: Dataset | null;
  /** Items the task left out beyond those the stream skipped (the probe's train split). */
  skipped?: SkippedItem[];
  /** True when another set the task read (the OOD set, the probe's train split) was cut by --limit. */
  partial?: boolean;
  texts: { computed: number; cached: number };
};

/** Scores one lane: fed the lane's embedded batches in dataset order, then finished once. */
export interface TaskScorer {
  /** A batch of (N, D) L2-normalised image embeddings with their item ids and labels. */
  add(batch: EmbeddedBatch): void;
  finish(): Promise<TaskScore>;
}

/**
 * One evaluation task. The runner (eval/runPlan.ts) streams every dataset once for all the
 * (model, shift) lanes that read it and hands each lane's batches to its task's scorer; the
 * result envelope, file names, --skip-existing, shards and provenance are the runner's.
 */
export interface TaskModule {
  id: TaskId;
  /** One line for --help and errors. */
  title: string;
  /** The dataset kind the task reads. */
  needs: DatasetKind;
  /** Whether a large dataset may be split into item ranges across shards (metrics that only exist over the whole set may not). */
  splitsItems: boolean;
  /** False for a task that reads no text (the linear probe): a text shift has nothing to perturb, so the plan makes no text-shifted unit of it. */
  readsTexts?: false;
  /** Settings that change this task's numbers beyond model, dataset and shift (joins the result id). */
  identity(options: TaskUnitOptions): unknown;
  /** Builds the scorer of one lane (reads captions or labels, fits what it needs). */
  open(input: TaskLaneInput): Promise<TaskScorer>;
  /** The summary table's columns and one row per result. */
  summary: { columns: string[]; row(r: TaskResult): string[] };
}
