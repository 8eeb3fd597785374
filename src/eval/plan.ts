import { ZeroshiftError } from '../errors.js';
import { parseShift, listCorruptions } from '../shifts/registry.js';
import { parseTextShift } from '../textShifts/registry.js';
import { taskModule } from '../tasks/registry.js';
import type { ShiftParamsChoice } from '../shifts/paramSets.js';
import type { ShiftRequest } from '../shifts/types.js';
import { suiteUnitLimit } from './suiteBound.js';
import { loadSuite, suiteRelative, inSuiteFile, checkSuiteRefs, type Suite, type SuiteDatasetEntry } from './suite.js';
import { familyTargets } from './familyTargets.js';
import type { ShardEnv, ShardSelection } from './shards.js';
import { planShard, type OpenDataset } from './shardPlan.js';
import type { EvalTarget, EvalUnit, PromptRef, Ensembling, GroupRequest } from '../tasks/unit.js';
import { specTarget, isGeneratedSpec } from './specTargets.js';
import { families, variantSpec } from '../datasets/families.js';
import { PlanResources } from './resources.js';
import { promptRefsOf } from '../tasks/classifiers.js';
import { openDataset } from '../datasets/registry.js';
import { limitDataset } from '../datasets/limit.js';
import { corruptionAvailable, findFrostDir, frostSkippedNotice, loadShiftAssets } from './shiftAssets.js';
import type { ShiftAssets } from '../shifts/types.js';
import { taskTargets, type OodFlags, type TaskChoice } from './taskTargets.js';
import { imagenetLanguageSet } from '../prompts/languages.js';
import { datasetKind } from '../tasks/task.js';
import type { SuiteMember } from '../results/suiteMeans.js';
import { defaultTaskFor } from '../tasks/registry.js';

/** What the command line asks for. */
export interface PlanInput {
  models?: string[];
  suite?: string;
  datasets?: string[];
  prompts?: string[];
  templates?: string[];
  /** `--language LANG`: ImageNet-family datasets use that language's class names and templates (prompts/languages.ts). */
  language?: string;
  ensembling: Ensembling;
  shifts?: string[];
  /** `--text-shift NAME:SEVERITY` (repeatable): each runs beside the unshifted texts, under every image shift. */
  textShifts?: string[];
  dataDir?: string;
  /** Overrides `n` of generated datasets. */
  n?: number;
  shard?: string;
  /** `--group-by FIELD` (repeatable): per-group metrics on every dataset. */
  groupBy?: string[];
  /** Group fields with their ranking metric (a suite's dataset protocols, e.g. DataComp's Dollar Street by top-5). */
  groupRequests?: GroupRequest[];
  /** `--limit N`: the first N items of every dataset in a fixed seeded order (src/datasets/limit.ts). */
  limit?: { n: number; seed: number };
  /** ImageNet-C's frost photographs (default: a suite's shifts.frostDir, else the prepared imagenet-c-frost under the data dir). */
  frostDir?: string;
  /** `--task`: every --dataset runs it (absent: each dataset runs the task of its kind). */
  task?: TaskChoice;
  /** The linear probe's train split (`--train-dataset`) and shots per class (`--fewshot-k`). */
  trainDataset?: string;
  fewshotK?: number;
  /** Seed of the probe's splits (and of --limit). */
  seed?: number;
  /** Zero-shot OOD detection: `--ood-dataset` (repeatable), `--ood-score`, `--ood-temperature`. */
  ood?: OodFlags;
  /** `--shift-params`: the corruption parameter set of every shift (default auto: by image size). */
  shiftParams?: ShiftParamsChoice;
  env: ShardEnv;
  /** Told about options that have no effect (e.g. --n on a folder). */
  onWarning?(message: string): void;
}

/**
 * A plan owns what its units share: `resources` holds the datasets it opened and the prompt
 * selections it resolved (for preflight, shard sizing and the runner), `models` the model
 * references in run order. Build it once and pass it to `runPlan`.
 */
export interface Plan {
  units: EvalUnit[];
  models: string[];
  resources: PlanResources;
  /** Short human description for the start line. */
  description: string;
  suite: Suite | null;
  /** Set when this process runs one shard of the plan (--shard or the environment). */
  shard: ShardSelection | null;
  /** Files the planned shifts need (frost's photographs), for the run's settings. */
  shiftAssets: ShiftAssets;
  /** A suite's datasets in order (its `averages` are over these), whichever shard runs; empty without a suite. */
  suiteMembers: SuiteMember[];
}

/** The suite run when `eval` gets neither --suite nor --dataset. */
export const DEFAULT_SUITE = 'shapes-robustness';

/**
 * Expands the command line (and suite) into work units: models × targets × (no text shift +
 * requested text shifts) × (no shift + requested shifts), each carrying every prompt set.
 * With --shard, keeps this shard's share.
 */
export async function buildPlan(input: PlanInput): Promise<Plan> {
  const explicitDatasets = input.datasets && input.datasets.length > 0;
  if (explicitDatasets && input.suite) throw new ZeroshiftError('USAGE', 'give either --suite or --dataset, not both');
  const suite = explicitDatasets ? null : await loadSuite(input.suite ?? DEFAULT_SUITE, { maxUnits: suiteUnitLimit(input.env.ZEROSHIFT_MAX_UNITS) });
  const limit = input.limit;
  const resources = new PlanResources(limit ? async (spec, limited) => {
    const l = await limitDataset(await openDataset(spec), limit.n, limit.seed);
    limited(l.limit);
    return l.dataset;
  } : undefined);
  const open = (spec: string): ReturnType<PlanResources['dataset']> => resources.dataset(spec);
  const models = input.models?.length ? input.models : suite ? suite.models.map((m) => suiteRelative(suite, m)) : [undefinedModel()];
  const prompts = promptRefs(input, suite);
  const ensembling = suite && input.ensembling === 'clip' ? suite.ensembling : input.ensembling;
  const specOptions = { dataDir: input.dataDir, n: input.n, where: '--dataset', onWarning: input.onWarning, open };
  if (suite) await inSuiteFile(suite.file, () => checkSuiteRefs(suite, { models: !input.models?.length, prompts: !input.prompts?.length }));
  if (!explicitDatasets && input.ood && input.ood.datasets.length > 0) {
    throw new ZeroshiftError('USAGE', '--ood-dataset needs an in-distribution --dataset SPEC (suites run zero-shot classification)');
  }
  if (!explicitDatasets && input.task && input.task !== 'zeroshot_classification') {
    throw new ZeroshiftError('USAGE', `--task ${input.task} needs --dataset SPEC (suites run zero-shot classification)`);
  }
  const members: SuiteMember[] = [];
  const pairs: Pair[] = explicitDatasets
    ? await explicitPairs(input, specOptions, open)
    : await inSuiteFile(suite!.file, () => suitePairs(suite!, input, open, members));
  if (suite) checkAverages(suite, members);
  const textShifts = [undefined, ...(input.textShifts ?? []).map(parseTextShift)];
  const textless = new Set(pairs.flatMap(({ task }) => (task && taskModule(task.id).readsTexts === false ? [task.id] : [])));
  if (textShifts.length > 1 && textless.size > 0) input.onWarning?.(`--text-shift has no effect on ${[...textless].join(', ')}: it reads no text`);
  const all: EvalUnit[] = [];
  for (const modelRef of models) {
    for (const { target, shifts, task } of pairs) {
      for (const textShift of textShifts) {
        if (textShift && task && taskModule(task.id).readsTexts === false) continue;
        // A task unit embeds its own texts: no prompt set rides along.
        const base = { ...(task ? { promptSets: [], ensembling, task } : { promptSets: prompts, ensembling }), ...(textShift ? { textShift } : {}) };
        all.push({ modelRef, target, shift: null, ...base });
        for (const shift of shifts) all.push({ modelRef, target, shift: withShiftParams(shift, input.shiftParams), ...base });
      }
    }
  }
  const shard = await planShard(all, input.shard, input.env, open);
  const what = suite ? `suite ${suite.name}` : `${input.datasets!.length} dataset(s)`;
  const units = shard ? shard.units : all;
  // The suite's prompt sets (or the automatic choice) against its datasets: a mismatch names the suite file.
  if (suite && !input.prompts?.length && !input.templates?.length) {
    await inSuiteFile(suite.file, async () => {
      for (const unit of units) for (const ref of promptRefsOf(unit)) await resources.prompts(ref, unit);
    });
  }
  const shiftAssets = await loadShiftAssets(units.map((u) => u.shift), frostDirOf(input, suite));
  return { units, models: [...new Set(units.map((u) => u.modelRef))], resources, description: `${what}, ${models.length} model(s)`, suite, shard, shiftAssets, suiteMembers: members };
}

/** A target with the shifts it runs under and its task (absent = zero-shot classification). */
type Pair = { target: EvalTarget; shifts: ShiftRequest[]; task?: EvalUnit['task'] };

/** The --dataset targets, each with the task that reads it (eval/taskTargets.ts) and the --shift list. */
async function explicitPairs(input: PlanInput, specOptions: Parameters<typeof specTarget>[1], open: OpenDataset): Promise<Pair[]> {
  const targets = await Promise.all(input.datasets!.map(async (spec) => withGroups(withGroups(await specTarget(spec, specOptions), input.groupRequests), input.groupBy)));
  // OOD sets resolve like --dataset (prepared names, --n) and are opened now, so a bad one stops the run before any model loads.
  const ood = input.ood && input.ood.datasets.length > 0
    ? { ...input.ood, datasets: await Promise.all(input.ood.datasets.map(async (spec) => {
      const t = await specTarget(spec, { ...specOptions, where: '--ood-dataset' });
      await open(t.spec);
      return t.spec;
    })) }
    : input.ood;
  const chosen = await taskTargets(targets, { task: input.task, trainDataset: input.trainDataset, fewshotK: input.fewshotK, seed: input.seed ?? 0, groupBy: input.groupBy ?? [], ood, prompts: promptRefs(input, null), ensembling: input.ensembling }, open, input.dataDir);
  for (const note of chosen.notes) input.onWarning?.(note);
  return chosen.targets.map(({ target, task }) => ({ target, shifts: cliShifts(input), ...(task ? { task } : {}) }));
}

function undefinedModel(): string {
  return 'tiny-clip-shapes';
}

function promptRefs(input: PlanInput, suite: Suite | null): PromptRef[] {
  if (input.language !== undefined) {
    imagenetLanguageSet(input.language);
    if (input.prompts?.length || input.templates?.length) {
      throw new ZeroshiftError('USAGE', `--language ${input.language} picks the prompts (class names and templates in that language), so it cannot be combined with ${input.prompts?.length ? '--prompts' : '--template'}`, {
        hint: 'drop --language to use your prompts, or drop --prompts/--template to use the translated ones',
      });
    }
    return [{ language: input.language }];
  }
  const refs: PromptRef[] = (input.prompts?.length ? input.prompts : suite?.prompts ?? []).map((set) => ({ set }));
  if (input.templates?.length) refs.push({ name: 'cli', templates: input.templates });
  return refs;
}

/** A named set goes into the request (and so the result id and cache key); auto stays implicit, as before sets existed. */
function withShiftParams(shift: ShiftRequest, choice: ShiftParamsChoice | undefined): ShiftRequest {
  return choice === undefined || choice === 'auto' ? shift : { ...shift, params: choice };
}

function cliShifts(input: PlanInput): ShiftRequest[] {
  return (input.shifts ?? []).map(parseShift);
}


function frostDirOf(input: PlanInput, suite: Suite | null): string | null {
  const fromSuite = suite?.shifts?.frostDir !== undefined ? suiteRelative(suite, suite.shifts.frostDir) : undefined;
  return findFrostDir(input.frostDir ?? fromSuite, input.dataDir, input.env);
}

/** Each suite dataset runs the task of its kind (SugarCrepe's files: image–caption selection), with the suite's shifts. */
async function suitePairs(suite: Suite, input: PlanInput, open: OpenDataset, members: SuiteMember[]): Promise<Pair[]> {
  const suiteShifts = expandSuiteShifts(suite, frostDirOf(input, suite), input.dataDir, input.onWarning);
  const extra = cliShifts(input);
  const out: Pair[] = [];
  for (const entry of suite.datasets) {
    const groupBy = [...(input.groupBy ?? []), ...(suite.groupBy ?? []), ...(entry.groupBy ?? [])];
    for (const found of await entryTargets(entry, input, suite, open)) {
      const target = withGroups(found, groupBy);
      const wanted = suite.shifts?.variants ? suite.shifts.variants.some((v) => v === target.variant || `${target.family}-${v}` === target.variant) : target.isStandard;
      const dataset = await open(target.spec);
      const id = defaultTaskFor(datasetKind(dataset));
      const task = id === 'zeroshot_classification' ? {} : { task: { id, options: { seed: input.seed ?? 0, groupBy: [] } } };
      out.push({ target, shifts: wanted ? [...suiteShifts, ...extra] : target.isStandard ? extra : [], ...task });
      // Keyed by the spec its results record (the opened dataset's, which may spell out defaults: `&size=64`).
      members.push({ label: 'spec' in entry ? entry.name ?? entry.spec : target.variant ?? target.spec, spec: dataset.spec });
    }
  }
  return out;
}

async function entryTargets(entry: SuiteDatasetEntry, input: PlanInput, suite: Suite, open: OpenDataset): Promise<EvalTarget[]> {
  if ('spec' in entry) {
    const target = await specTarget(entry.spec, { dataDir: input.dataDir, n: input.n, where: suite.file, onWarning: input.onWarning, open });
    await open(target.spec); // opened now (the run shares it) so a bad spec's error names the suite file
    return [target];
  }
  const generated = isGeneratedSpec(variantSpec(families.get(entry.family).variants[0], '.'));
  if (input.n !== undefined && !generated) input.onWarning?.(`--n ${input.n} has no effect on family '${entry.family}' in ${suite.file}: only generated datasets take a size`);
  const options = { ...(entry.options ?? {}), ...(input.n !== undefined && generated ? { n: input.n } : {}) };
  return familyTargets(entry.family, entry.variants, options, input.dataDir, suite.file, open);
}

/** A suite's `averages` may name only its own datasets (by `name`, else spec or variant): a typo would silently average fewer. */
function checkAverages(suite: Suite, members: readonly SuiteMember[]): void {
  const labels = members.map((m) => m.label);
  (suite.averages ?? []).forEach((a, i) => {
    if (a.datasets === 'all') return;
    const unknown = a.datasets.find((d) => !labels.includes(d));
    if (unknown !== undefined) throw new ZeroshiftError('CONFIG', `${suite.file}: averages[${i}] (${a.name}) names '${unknown}', not a dataset of the suite; its datasets: ${labels.join(', ')}`);
  });
}

/** The target with `fields` added to the group fields it has (a dataset protocol's come first; repeats are dropped). */
function withGroups(target: EvalTarget, fields: readonly (string | GroupRequest)[] | undefined): EvalTarget {
  const all: GroupRequest[] = [...(target.groupBy ?? [])];
  for (const f of fields ?? []) {
    const req = typeof f === 'string' ? { field: f } : f;
    if (!all.some((g) => g.field === req.field)) all.push(req);
  }
  return all.length > 0 ? { ...target, groupBy: all } : target;
}

/** "all" means every corruption that can run: without the frost photographs, all but frost, said once. */
function expandSuiteShifts(suite: Suite, frostDir: string | null, dataDir: string | undefined, onWarning?: (message: string) => void): ShiftRequest[] {
  if (!suite.shifts) return [];
  const all = listCorruptions().map((c) => c.id);
  const available = all.filter((id) => corruptionAvailable(id, frostDir));
  if (suite.shifts.corruptions === 'all' && available.length < all.length) onWarning?.(frostSkippedNotice(suite.name, dataDir));
  const ids = suite.shifts.corruptions === 'all' ? available : suite.shifts.corruptions;
  return ids.flatMap((id) => suite.shifts!.severities.map((s) => parseShift(`${id}:${s}`)));
}
