import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ZeroshiftError } from '../errors.js';
import { PACKAGE_ROOT } from '../util/version.js';

/** CLIP_benchmark's Babel-ImageNet tables, shipped (scripts/buildLanguageSets.mjs writes them). */
export const BABEL_IMAGENET_FILE = join(PACKAGE_ROOT, 'data', 'reference', 'clip_benchmark-babel_imagenet.json');

const languageSchema = z.object({
  /** ImageNet class indices of the language's subset, increasing (babel_imagenet.json's idxs). */
  classIndices: z.array(z.number().int().min(0).max(999)).min(1),
  /** The translated class names, in classIndices' order. */
  classNames: z.array(z.string().min(1)),
  /** NLLB-translated templates with `{c}` (nllb_dist13b_prompts.json, `{}` replaced as CLIP_benchmark's builder does). */
  templates: z.array(z.string().includes('{c}')).min(1),
}).refine((l) => l.classNames.length === l.classIndices.length, 'classNames and classIndices differ in length')
  .refine((l) => l.classIndices.every((v, i, a) => i === 0 || a[i - 1] < v), 'classIndices are not strictly increasing');

const fileSchema = z.object({
  schemaVersion: z.literal(1),
  source: z.string().min(1),
  /** Babel languages left out because CLIP_benchmark has no NLLB templates for them. */
  omitted: z.array(z.string()),
  languages: z.record(z.string().regex(/^[a-z]{2,3}$/), languageSchema),
});

/** One Babel-ImageNet language: its k-class subset of ImageNet and the prompts in that language. */
export type BabelLanguage = z.infer<typeof languageSchema>;
type BabelFile = z.infer<typeof fileSchema>;

/** Parses the shipped file; a malformed one is an INTERNAL error naming the file and the first problem. */
export function parseBabelImagenet(raw: unknown, path: string): { source: string; omitted: string[]; languages: Map<string, BabelLanguage> } {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ZeroshiftError('INTERNAL', `${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const file: BabelFile = parsed.data;
  // A Map, so a user's `lang=__proto__` or `constructor` is simply unknown.
  return { source: file.source, omitted: file.omitted, languages: new Map(Object.entries(file.languages)) };
}

/**
 * Reads the shipped Babel-ImageNet tables once per call site that needs them (the adapter's
 * open): the file is 1 MB, read when a `babel-imagenet:` spec is opened, never at startup.
 */
export function loadBabelImagenet(): ReturnType<typeof parseBabelImagenet> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(BABEL_IMAGENET_FILE, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('INTERNAL', `cannot read shipped data ${BABEL_IMAGENET_FILE}: ${(e as Error).message}`);
  }
  return parseBabelImagenet(raw, BABEL_IMAGENET_FILE);
}
