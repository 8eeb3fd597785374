import { checkClassNames } from './load.js';
import { getPromptSet, hasPromptSet, loadPromptSet } from './registry.js';
import type { ClassName, PromptSet } from './schema.js';
import { checkTemplates, DEFAULT_TEMPLATE } from './template.js';

/** The template used when nothing else applies. */
export { DEFAULT_TEMPLATE } from './template.js';

export interface PromptSelectionInput {
  /** The dataset's class names, in class-index order. */
  classNames: readonly string[];
  /** For messages, e.g. `cifar10`. */
  datasetName?: string;
  /** Templates typed on the command line. */
  cliTemplates?: readonly string[];
  /** A prompt set named on the command line: shipped id, `cb:<dataset>` or JSON path. */
  cliPromptSet?: string;
  /** Templates carried by the dataset itself (a WebDataset templates file). */
  datasetTemplates?: readonly string[];
  /** The dataset's shipped prompt-set key (e.g. `cifar10`, `shapes-shape`). */
  promptKey?: string;
}

export interface PromptSelection {
  name: string;
  /** Where the templates came from; recorded in results. */
  source: 'dataset' | 'shipped' | 'file' | 'cli' | 'default';
  templates: string[];
  /** The set's class names when it has them (checked against the dataset), else the dataset's. */
  classNames: ClassName[];
  /** Full sentences per class (CuPL), ensembled after the filled templates; parallel to classNames. */
  classPrompts?: string[][];
}

function fromSet(set: PromptSet, source: PromptSelection['source'], input: PromptSelectionInput): PromptSelection {
  const datasetName = input.datasetName ?? 'dataset';
  checkClassNames(set, input.classNames.length, datasetName);
  return {
    name: set.name, source, templates: [...set.templates], classNames: [...(set.classNames ?? input.classNames)],
    ...(set.classPrompts ? { classPrompts: set.classPrompts.map((texts) => [...texts]) } : {}),
  };
}

/**
 * Picks the prompts for a run, first match wins: templates given on the command line
 * (`cli`), a prompt set named on the command line (`shipped` or `file`), the dataset's own
 * templates (`dataset`), the shipped set for the dataset's promptKey (`shipped`), else
 * "a photo of a {}." (`default`).
 */
export async function selectPrompts(input: PromptSelectionInput): Promise<PromptSelection> {
  const where = input.datasetName ?? 'dataset';
  if (input.cliTemplates && input.cliTemplates.length > 0) {
    checkTemplates(input.cliTemplates, 'command-line templates');
    return { name: 'cli', source: 'cli', templates: [...input.cliTemplates], classNames: [...input.classNames] };
  }
  if (input.cliPromptSet) {
    const { set, source } = await loadPromptSet(input.cliPromptSet);
    return fromSet(set, source, input);
  }
  if (input.datasetTemplates && input.datasetTemplates.length > 0) {
    checkTemplates(input.datasetTemplates, `templates of ${where}`);
    return { name: `${where}-templates`, source: 'dataset', templates: [...input.datasetTemplates], classNames: [...input.classNames] };
  }
  if (input.promptKey && hasPromptSet(input.promptKey)) return fromSet(getPromptSet(input.promptKey), 'shipped', input);
  return { name: 'default', source: 'default', templates: [DEFAULT_TEMPLATE], classNames: [...input.classNames] };
}
