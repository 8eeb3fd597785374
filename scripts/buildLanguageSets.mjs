#!/usr/bin/env node
// Writes prompts/imagenet-<lang>.json from CLIP_benchmark's translated ImageNet class names and
// templates, and data/reference/clip_benchmark-babel_imagenet.json from its Babel-ImageNet
// tables: `node scripts/buildLanguageSets.mjs <CLIP_benchmark checkout> <its commit>`.
// Run once per CLIP_benchmark update; nothing reads the checkout at run time.
// The tables are copied as they are (never deduplicated: jp has 991 distinct names of 1000).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// CLIP_benchmark's language codes (as its --language takes them) and what they name.
const LANGUAGES = { ar: 'Arabic', cn: 'Chinese', it: 'Italian', jp: 'Japanese' };

const [checkout, commit] = process.argv.slice(2);
if (!checkout || !/^[0-9a-f]{40}$/.test(commit ?? '')) {
  console.error('usage: node scripts/buildLanguageSets.mjs <CLIP_benchmark checkout> <40-hex commit>');
  process.exit(2);
}

const read = (file) => JSON.parse(readFileSync(join(checkout, 'clip_benchmark', 'datasets', file), 'utf8'));

for (const [code, language] of Object.entries(LANGUAGES)) {
  const names = read(`${code}_classnames.json`).imagenet1k;
  const templates = read(`${code}_zeroshot_classification_templates.json`).imagenet1k;
  if (!Array.isArray(names) || names.length !== 1000) throw new Error(`${code}: expected 1000 imagenet1k class names`);
  for (const t of templates) if (!t.includes('{c}')) throw new Error(`${code}: template without {c}: ${t}`);
  const set = {
    schemaVersion: 1,
    name: `imagenet-${code}`,
    description: `CLIP_benchmark's ${language} ImageNet-1k prompts: 1000 translated class names (index order) and ${templates.length} translated templates`,
    source: `LAION-AI/CLIP_benchmark@${commit} clip_benchmark/datasets/${code}_classnames.json [imagenet1k] + ${code}_zeroshot_classification_templates.json [imagenet1k]`,
    language: code,
    classNames: names,
    templates,
  };
  writeFileSync(join(ROOT, 'prompts', `imagenet-${code}.json`), `${JSON.stringify(set, null, 1)}\n`);
  console.log(`prompts/imagenet-${code}.json: ${names.length} class names, ${templates.length} templates`);
}

// Babel-ImageNet: per language (upper-case keys in babel_imagenet.json), the ImageNet class
// indices of its subset and their names in that order, with the NLLB-translated templates of
// nllb_dist13b_prompts.json, whose `{}` CLIP_benchmark's builder turns into `{c}`. A language
// without NLLB templates is left out and listed (CLIP_benchmark fails on it with a KeyError).
const babel = read('babel_imagenet.json');
const nllb = read('nllb_dist13b_prompts.json');
const languages = {};
const omitted = [];
for (const key of Object.keys(babel).sort()) {
  const [classIndices, classNames] = babel[key];
  if (classIndices.length !== classNames.length) throw new Error(`babel ${key}: ${classIndices.length} indices, ${classNames.length} names`);
  if (!Array.isArray(nllb[key])) { omitted.push(key.toLowerCase()); continue; }
  for (const t of nllb[key]) if (!t.includes('{}')) throw new Error(`babel ${key}: template without {}: ${t}`);
  languages[key.toLowerCase()] = { classIndices, classNames, templates: nllb[key].map((t) => t.replaceAll('{}', '{c}')) };
}
const babelFile = {
  schemaVersion: 1,
  source: `LAION-AI/CLIP_benchmark@${commit} clip_benchmark/datasets/babel_imagenet.json + clip_benchmark/datasets/nllb_dist13b_prompts.json`,
  omitted,
  languages,
};
writeFileSync(join(ROOT, 'data', 'reference', 'clip_benchmark-babel_imagenet.json'), `${JSON.stringify(babelFile)}\n`);
console.log(`data/reference/clip_benchmark-babel_imagenet.json: ${Object.keys(languages).length} languages (omitted, no NLLB templates: ${omitted.join(', ')})`);
