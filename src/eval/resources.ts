import { openDataset } from '../datasets/registry.js';
import type { Dataset } from '../datasets/types.js';
import type { LimitInfo } from '../datasets/limit.js';
import { shiftClassNames, type UnitPrompts } from '../tasks/classifiers.js';
import { selectPrompts, type PromptSelection } from '../prompts/index.js';
import { languagePrompts } from './languagePrompts.js';
import { textShifter } from '../textShifts/registry.js';
import { packagedWordNetDir, WordNet } from '../textShifts/wordnet.js';
import type { EvalTarget, EvalUnit, PromptRef } from '../tasks/unit.js';

/**
 * What one plan opens and resolves, owned by the plan and dropped with it (no process-global
 * cache): each dataset spec is opened once for planning, preflight, shard sizing and every
 * unit and shift of that spec (a folder of 50,000 files is listed and fingerprinted once), and
 * each (target, prompt-set reference) is resolved to its templates and class names once.
 * Datasets are restartable, so sharing them is safe; a failed open is not remembered, so
 * fixing the data and retrying in the same process works.
 */
export class PlanResources {
  private readonly datasets = new Map<string, Promise<Dataset>>();
  private readonly selections = new Map<EvalTarget, Map<string, Promise<UnitPrompts>>>();
  private words: WordNet | null = null;

  /** --limit's outcome per spec (items kept, of how many), recorded by task results. */
  readonly limits = new Map<string, LimitInfo>();

  /** `open` turns a spec into a dataset (default: the registry; --limit wraps it and reports what it kept). */
  constructor(private readonly open: (spec: string, limited: (info: LimitInfo) => void) => Promise<Dataset> = openDataset) {}

  /** The dataset of a spec, opened on first use. */
  dataset(spec: string): Promise<Dataset> {
    let p = this.datasets.get(spec);
    if (!p) {
      p = this.open(spec, (info) => this.limits.set(spec, info));
      p.catch(() => this.datasets.delete(spec));
      this.datasets.set(spec, p);
    }
    return p;
  }

  /**
   * WordNet (the synonym and word_insert text shifts), opened on first use and kept for the
   * plan's lifetime: its index files are parsed once per run, not once per text.
   */
  lexicon(): WordNet {
    this.words ??= new WordNet(packagedWordNetDir());
    return this.words;
  }

  /**
   * The templates and class names a prompt-set reference (undefined = automatic choice) gives
   * a unit's target; image-shifted units share them with the unshifted one, and a text-shifted
   * unit gets the class names its text tower reads (`readNames`). Throws the CONFIG or USAGE
   * error of an unknown set, a template without a placeholder or a class-count mismatch.
   */
  prompts(ref: PromptRef | undefined, unit: EvalUnit): Promise<UnitPrompts> {
    const byRef = this.selections.get(unit.target) ?? new Map<string, Promise<UnitPrompts>>();
    this.selections.set(unit.target, byRef);
    const key = JSON.stringify([ref ?? null, unit.textShift ?? null]);
    let p = byRef.get(key);
    if (!p) {
      const shift = unit.textShift;
      p = this.dataset(unit.target.spec).then(async (dataset): Promise<UnitPrompts> => {
        const sel = await promptsFor(ref, unit, dataset);
        return shift ? { ...sel, readNames: shiftClassNames(sel.classNames, textShifter(shift, () => this.lexicon())) } : sel;
      });
      p.catch(() => byRef.delete(key));
      byRef.set(key, p);
    }
    return p;
  }
}

/**
 * The templates and class names one prompt-set reference gives a unit; throws the CONFIG or
 * USAGE error of an unknown set, a template without a placeholder or a class-count mismatch.
 */
export async function promptsFor(ref: PromptRef | undefined, unit: EvalUnit, dataset: Dataset): Promise<PromptSelection> {
  if (ref?.language !== undefined) return languagePrompts(ref.language, unit, dataset);
  const sel = await selectPrompts({
    classNames: unit.target.classSpace ?? dataset.classNames, datasetName: dataset.name,
    cliPromptSet: ref?.set,
    cliTemplates: ref?.set ? undefined : ref?.templates,
    datasetTemplates: dataset.templates, promptKey: unit.target.promptKey ?? dataset.promptKey,
  });
  // --each-template: the set's class names with one of its templates, without its per-class sentences.
  if (ref?.set && ref.templates) return { ...sel, templates: ref.templates, classPrompts: undefined };
  return sel;
}
