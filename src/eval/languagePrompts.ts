import { ZeroshiftError } from '../errors.js';
import type { Dataset } from '../datasets/types.js';
import { imagenetWordnetClasses } from '../datasets/subsets.js';
import { getPromptSet } from '../prompts/registry.js';
import { imagenetLanguageSet, languageIds } from '../prompts/languages.js';
import { selectPrompts, type ClassName, type PromptSelection } from '../prompts/index.js';
import type { EvalUnit } from '../tasks/unit.js';

const WNID = /^n\d{8}$/;

/**
 * The prompts `--language LANG` gives a unit: for an ImageNet-family target, the language's
 * ImageNet set (CLIP_benchmark's translated class names and templates) over the target's class
 * rows; `en` on any other dataset is the automatic choice. Rows are the target's class space
 * (all 1000 classes for a subset variant such as imagenet-r, whose subset applies when
 * scoring), the dataset's 1000 classes for an ImageNet variant, or, for any folder of WordNet-id
 * folders (a 200-class subset copied anywhere), each folder's class by its synset.
 * @throws ZeroshiftError('USAGE') for an unknown language, or a translated language on a
 *   dataset that is not of the ImageNet family, naming the languages that exist.
 */
export async function languagePrompts(language: string, unit: EvalUnit, dataset: Dataset): Promise<PromptSelection> {
  const set = getPromptSet(imagenetLanguageSet(language));
  const names = imagenetRows(set.classNames ?? [], unit, dataset);
  if (names === null) {
    if (language === 'en') return selectPrompts({ classNames: unit.target.classSpace ?? dataset.classNames, datasetName: dataset.name, datasetTemplates: dataset.templates, promptKey: unit.target.promptKey ?? dataset.promptKey });
    throw new ZeroshiftError('USAGE', `--language ${language}: ${dataset.name} is not an ImageNet-family dataset, and translated prompts exist only for ImageNet's classes (languages: ${languageIds().join(', ')})`, {
      hint: 'use --language on ImageNet, its shift variants (imagenet-r, imagenet-a, imagenetv2, imagenet-sketch, objectnet, imagenet-c, tiny-imagenet) or a folder of WordNet-id folders; for other datasets drop --language, or pass a prompt set in that language with --prompts FILE.json',
    });
  }
  return { name: set.name, source: 'shipped', templates: [...set.templates], classNames: names };
}

/** The set's names for the target's classifier rows, or null when the target is not ImageNet's. */
function imagenetRows(names: readonly ClassName[], unit: EvalUnit, dataset: Dataset): ClassName[] | null {
  const { target } = unit;
  const rows = target.classSpace ?? dataset.classNames;
  if ((target.promptKey === 'imagenet' || target.family === 'imagenet') && rows.length === names.length) return [...names];
  const index = new Map(imagenetWordnetClasses().map((c, i) => [c.wnid, i]));
  if (target.classSpace || dataset.classNames.length === 0 || !dataset.classNames.every((n) => WNID.test(n) && index.has(n))) return null;
  return dataset.classNames.map((wnid) => names[index.get(wnid)!]);
}
