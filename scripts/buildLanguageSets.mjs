#!/usr/bin/env node
// Writes prompts/imagenet-<lang>.json from CLIP_benchmark's translated ImageNet class names and
// templates: `node scripts/buildLanguageSets.mjs <CLIP_benchmark checkout> <its commit>`.
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
