import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftRequest } from '../shifts/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import type { EmbeddedBatch } from '../embed/lanes.js';
import type { EmbeddedSet } from '../embed/collect.js';
import type { TaskResult } from '../results/envelope.js';
import type { TaskId } from '../results/taskIds.js';
import type { Logger } from '../util/log.js';
import type { PromptInfo, Prediction, Provenance, Result } from '../results/schema.js';
import type { ScoringProtocol } from '../datasets/scoringProtocol.js';
import type { OodScoreName } from '../metrics/oodScores.js';
import type { LimitInfo } from '../datasets/limit.js';
import type { TextShifter } from '../textShifts/registry.js';
import type { Lexicon } from '../textShifts/types.js';
import type { EvalUnit, PromptRef, RunSettings } from './unit.js';
import type { UnitPrompts } from './classifiers.js';
import type { GroupMetadataMemo } from './groupResults.js';

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

/**
 * What a task writing a task result gets to build the scorer of one lane (EnvelopeTaskSpec.open):
 * a model under a shift, streaming one dataset. (`LaneInput` is what every task's `openLane` gets.)
 */
export interface ScorerInput {
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
  /** Counts texts the task just embedded (embedTexts' `onEmbedded`), so an interrupted run counts them. */
  textsEmbedded?(count: number): void;
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

/** Every task the runner knows: zero-shot classification and the tasks writing a task result. */
export type TaskName = TaskId | 'zeroshot_classification';

/**
 * What every lane of a run shares: the run's settings and the plan's resources, as services
 * (the runner owns them; a task reaches them only through here).
 */
export type LaneRun = RunSettings & {
  log: Logger;
  signal?: AbortSignal;
  /** Keep per-item predictions of classification results in the outcome (read back for reused ones). */
  keepPredictions?: boolean;
  /** Recorded in every result the run writes. */
  provenance?: Provenance;
  /** Opens a dataset the way the plan does (--limit applied), once per spec and plan. */
  openDataset(spec: string): Promise<Dataset>;
  /** What --limit kept of a dataset this run opened (null without --limit). */
  limitOf(spec: string): LimitInfo | null;
  /** The templates and class names a prompt-set reference (undefined = automatic choice) gives a unit, resolved once per plan. */
  prompts(ref: PromptRef | undefined, unit: EvalUnit): Promise<UnitPrompts>;
  /** WordNet, for the text shifts that read it (opened once per plan). */
  lexicon(): Lexicon;
  /** Work several lanes of the run share, computed once per key (ScorerInput.shared). */
  shared<T>(key: string, make: () => Promise<T>): Promise<T>;
  /** `--group-by` metadata, read once per dataset spec and run. */
  groupMetadata: GroupMetadataMemo;
  /** Records a result file written or reused, as soon as it is (index.csv is rebuilt from them even when a later lane fails). */
  wrote(file: string): void;
  /** Counts texts the text tower embedded (cache hits not), as they are: an interrupted run says how many it kept. */
  textsEmbedded?(count: number): void;
};

/** What the runner hands a task to open the lane of one unit (a model under a shift, streaming one dataset). */
export interface LaneInput {
  unit: EvalUnit;
  model: ClipModel;
  /** The model's image-embedding cache, or null for --no-cache. */
  cache: EmbeddingCache | null;
  dataset: Dataset;
  /** The unit's progress label (`fog:3 · shapes-standard · model`). */
  label: string;
  /** The model's text-embedding cache (its own namespace), opened on first use; null for --no-cache. */
  textCache(): Promise<EmbeddingCache | null>;
  /** Embeds a whole other dataset with the lane's model (see ScorerInput.embedDataset). */
  embedDataset(dataset: Dataset, label: string, shift?: ShiftRequest | null): Promise<EmbeddedSet>;
  run: LaneRun;
}

/** A lane's results, as written (or reused): classification results with their predictions, or task results. */
export interface LaneDone {
  results: Result[];
  /** Per-item predictions parallel to `results` (a reused result's only with keepPredictions). */
  predictions: Prediction[][];
  taskResults: TaskResult[];
}

/** A lane the runner streams: its batches in dataset order and the items the stream skipped, then finish once. */
export interface StreamingLane {
  kind: 'stream';
  /** A batch of (N, D) L2-normalised image embeddings with their item ids and labels. */
  add(batch: EmbeddedBatch): void;
  skip(item: SkippedItem): void;
  /** Scores the lane, writes its result files (each passed to `run.wrote`) and returns the results. */
  finish(timings: Result['timings']): Promise<LaneDone>;
}

/** An opened lane: streamed, or its results found by --skip-existing before any text tower ran. */
export type OpenedLane = StreamingLane | { kind: 'reused'; done: LaneDone };

/**
 * One evaluation task, as the runner (eval/runPlan.ts) sees it: the runner streams every dataset
 * once for all the (model, shift) lanes that read it and hands each lane's batches to the lane
 * its task opened. Zero-shot classification (tasks/zeroshotClassification.ts) opens its own
 * lanes; the tasks writing a task result share one (tasks/envelopeLane.ts).
 */
export interface Task {
  id: TaskName;
  /** One line for --help and errors. */
  title: string;
  /** The dataset kind the task reads. */
  needs: DatasetKind;
  /** Whether a large dataset may be split into item ranges across shards (metrics that only exist over the whole set may not). */
  splitsItems: boolean;
  /** False for a task that reads no text (the linear probe): a text shift has nothing to perturb, so the plan makes no text-shifted unit of it. */
  readsTexts?: false;
  /** Decides --skip-existing, then readies the lane's scoring (classifiers, captions, a fitted probe). */
  openLane(input: LaneInput): Promise<OpenedLane>;
}

/**
 * A task writing a task result (its record in results/tasks/<task>.ts, read through results/envelope.ts): it declares its identity,
 * its scorer and its summary row; the result's key, file name, --skip-existing and provenance
 * are one shared lane (tasks/envelopeLane.ts), which the registry gives it.
 */
export interface EnvelopeTaskSpec extends Omit<Task, 'id' | 'openLane'> {
  id: TaskId;
  /** Settings that change this task's numbers beyond model, dataset and shift (joins the result id). */
  identity(options: TaskUnitOptions): unknown;
  /** Builds the scorer of one lane (reads captions or labels, fits what it needs). */
  open(input: ScorerInput): Promise<TaskScorer>;
  /** The summary table's columns and one row per result. */
  summary: { columns: string[]; row(r: TaskResult): string[] };
}
