#!/usr/bin/env node
// Writes prompts/imagenet-cupl.json from CuPL's LLM-written ImageNet descriptions (Pratt et al.,
// "What does a platypus look like?", ICCV 2023): `node scripts/buildCuplSet.mjs <CuPL checkout>
// <its commit>`. CuPL keys its sentences by CLIP's edited class names (998 distinct: 'missile' and
// 'sunglasses' name two classes each), so each of the 1000 classes of prompts/imagenet.json gets
// the list under its name, as CLIP_benchmark's dict templates look them up (templates[classname]).
// Run once per CuPL update; nothing reads the checkout at run time.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// The "base prompts" file. The paper's full set (imagenet_prompts/CuPL_image_prompts.json) and
// CLIP_benchmark's cupl_prompts.json (its commit ff19f62: "more generated sentences + ensembled
// with openAI prompts") were not available when this set was built; see docs/prompts.md.
const FILE = 'all_prompts/base_prompts/imagenet_prompts_base.json';

const [checkout, commit] = process.argv.slice(2);
if (!checkout || !/^[0-9a-f]{40}$/.test(commit ?? '')) {
  console.error('usage: node scripts/buildCuplSet.mjs <CuPL checkout> <40-hex commit>');
  process.exit(2);
}

const byName = JSON.parse(readFileSync(join(checkout, FILE), 'utf8'));
const classNames = JSON.parse(readFileSync(join(ROOT, 'prompts', 'imagenet.json'), 'utf8')).classNames;
const classPrompts = classNames.map((name) => {
  const texts = byName[name];
  if (!Array.isArray(texts) || texts.length === 0) throw new Error(`${FILE}: no sentences for '${name}'`);
  return texts;
});
const unused = Object.keys(byName).filter((k) => !classNames.includes(k));
if (unused.length > 0) throw new Error(`${FILE}: keys that are no ImageNet class: ${unused.join(', ')}`);
const set = {
  schemaVersion: 2,
  name: 'imagenet-cupl',
  description: "CuPL's LLM-written descriptions of the 1000 ImageNet classes (GPT-3 base prompts, 30 sentences per class), ensembled per class without templates; class names are CLIP's",
  source: `sarahpratt/CuPL@${commit} ${FILE} (Pratt et al. 2023); class names from prompts/imagenet.json`,
  classNames,
  templates: [],
  classPrompts,
};
writeFileSync(join(ROOT, 'prompts', 'imagenet-cupl.json'), `${JSON.stringify(set, null, 1)}\n`);
console.log(`prompts/imagenet-cupl.json: ${classNames.length} classes, ${classPrompts.reduce((n, t) => n + t.length, 0)} sentences`);
