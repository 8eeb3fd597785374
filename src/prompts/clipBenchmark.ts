import { readFileSync } from 'node:fs';
import { ZeroshiftError } from '../errors.js';
import { parsePromptSet } from './load.js';
import type { PromptSet } from './schema.js';

function readJsonObject(path: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('CONFIG', `cannot read CLIP_benchmark prompt file ${path}: ${(e as Error).message}`, { cause: e });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ZeroshiftError('CONFIG', `${path}: expected an object mapping dataset name to a list`);
  }
  return json as Record<string, unknown>;
}

/** Datasets with templates in a CLIP_benchmark `en_zeroshot_classification_templates.json`. */
export function clipBenchmarkDatasets(templatesFile: string): string[] {
  return Object.keys(readJsonObject(templatesFile));
}

/**
 * The prompt set of `dataset` from CLIP_benchmark's two files: `en_classnames.json`
 * (dataset → class names) and `en_zeroshot_classification_templates.json` (dataset →
 * templates, `{c}` placeholder). Datasets whose class names CLIP_benchmark takes from the
 * dataset itself (cifar10, ...) give a templates-only set.
 */
export function loadClipBenchmarkPrompts(classnamesFile: string, templatesFile: string, dataset: string): PromptSet {
  const templates = readJsonObject(templatesFile);
  if (!(dataset in templates)) {
    throw new ZeroshiftError('USAGE', `${templatesFile}: no templates for dataset '${dataset}'; known: ${Object.keys(templates).sort().join(', ')}`);
  }
  const classNames = readJsonObject(classnamesFile)[dataset];
  return parsePromptSet(
    {
      schemaVersion: 1,
      name: `cb:${dataset}`,
      description: `CLIP_benchmark's English zero-shot prompts for ${dataset}`,
      source: 'LAION-AI/CLIP_benchmark en_classnames.json + en_zeroshot_classification_templates.json',
      ...(classNames === undefined ? {} : { classNames }),
      templates: templates[dataset],
    },
    `${templatesFile} [${dataset}]`,
  );
}
