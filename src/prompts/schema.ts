import { z } from 'zod';

/** The version written by sets with per-class prompts (`classPrompts`); sets without them may say 1 or 2. */
export const PROMPT_SET_SCHEMA_VERSION = 2;

/**
 * A class name, or several synonyms for one class (CLIP's FER2013 prompts): all
 * synonyms × templates are ensembled into that class's embedding.
 */
export type ClassName = string | readonly string[];

// Empty names are legal: CLIP_benchmark's clevr_closest_object_distance has one ("{c} shapes.").
const className = z.union([z.string(), z.array(z.string()).min(1)]);

/** The on-disk prompt-set format (prompts/*.json, or a user's file). */
export const promptSetSchema = z.object({
  schemaVersion: z.union([z.literal(1), z.literal(PROMPT_SET_SCHEMA_VERSION)]),
  name: z.string().min(1),
  /** Optional: what the set is for (shipped sets have one). */
  description: z.string().optional(),
  /** Optional: where the prompts come from (paper, repository file...). */
  source: z.string().optional(),
  /** Optional: the language of the names and templates, as CLIP_benchmark codes it (`cn`, `jp`, `it`, `ar`); absent = English. */
  language: z.string().regex(/^[a-z]{2,3}$/, 'a language code of 2-3 lower-case letters, e.g. cn').optional(),
  /** Class names in class-index order; absent for a templates-only set. Never deduplicated. */
  classNames: z.array(className).min(1).optional(),
  /** Templates with a `{}` or `{c}` placeholder for the class name; may be empty only when `classPrompts` gives every class its texts. */
  templates: z.array(z.string()),
  /**
   * Version 2: full sentences per class, in class-index order (CuPL's LLM-written descriptions):
   * class k's texts are the templates filled with its names, then `classPrompts[k]`, ensembled
   * together. Needs `classNames` of the same length.
   */
  classPrompts: z.array(z.array(z.string().min(1)).min(1)).min(1).optional(),
}).superRefine((set, ctx) => {
  if (set.classPrompts === undefined) {
    if (set.templates.length === 0) ctx.addIssue({ code: 'custom', path: ['templates'], message: 'give at least one template such as "a photo of a {}." (or per-class prompts in classPrompts)' });
    return;
  }
  if (set.schemaVersion !== PROMPT_SET_SCHEMA_VERSION) ctx.addIssue({ code: 'custom', path: ['schemaVersion'], message: `a set with classPrompts is schemaVersion ${PROMPT_SET_SCHEMA_VERSION}` });
  if (set.classNames?.length !== set.classPrompts.length) {
    ctx.addIssue({ code: 'custom', path: ['classPrompts'], message: `one list per class: ${set.classPrompts.length} lists but ${set.classNames?.length ?? 'no'} classNames` });
  }
});

export type PromptSet = z.infer<typeof promptSetSchema>;

/** The name a class is shown (and recorded) under: the first synonym. */
export function displayName(name: ClassName): string {
  return typeof name === 'string' ? name : name[0];
}
