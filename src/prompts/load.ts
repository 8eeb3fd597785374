import { readFile } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';
import { promptSetSchema, type PromptSet } from './schema.js';
import { checkTemplates } from './template.js';

const FORMAT_HINT =
  'format: { "schemaVersion": 1, "name": "...", "templates": ["a photo of a {}."], "classNames"?: [...], "description"?: "...", "source"?: "..." }, or schemaVersion 2 with "classPrompts": [[sentences of class 0], ...] (see docs/prompts.md)';

/** Validates parsed JSON as a prompt set; errors name `where` and the offending key. */
export function parsePromptSet(json: unknown, where: string): PromptSet {
  const r = promptSetSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new ZeroshiftError('CONFIG', `${where}: invalid prompt set at '${key}': ${issue.message}`, {
      hint: FORMAT_HINT,
    });
  }
  if (r.data.templates.length > 0 || r.data.classPrompts === undefined) checkTemplates(r.data.templates, where);
  return r.data;
}

/** Reads and validates a prompt-set JSON file. */
export async function loadPromptSetFile(path: string): Promise<PromptSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ZeroshiftError('INPUT', `cannot read prompt set ${path}: ${(e as Error).message}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ZeroshiftError('CONFIG', `${path}: a prompt set file must be JSON (${(e as Error).message})`, {
      hint: `${FORMAT_HINT}; for a few templates without a file, pass --template "a photo of a {}." (repeatable)`,
      cause: e,
    });
  }
  return parsePromptSet(json, path);
}

/**
 * Throws a CONFIG error when the set carries class names whose count differs from the
 * dataset's classes; a templates-only set always fits.
 */
export function checkClassNames(set: PromptSet, numClasses: number, datasetName: string): void {
  if (set.classNames === undefined || set.classNames.length === numClasses) return;
  throw new ZeroshiftError(
    'CONFIG',
    `prompt set '${set.name}' has ${set.classNames.length} class names but dataset '${datasetName}' has ${numClasses} classes`,
    { hint: 'use a prompt set made for this dataset, or one with templates only' },
  );
}
