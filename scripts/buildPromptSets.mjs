#!/usr/bin/env node
// Regenerates prompts/*.json from the reference files in data/reference/ and the shapes
// world in docs/WORLD.md. Run once after those change: `node scripts/buildPromptSets.mjs`.
// The JSON files are the shipped artefact; nothing reads the markdown at run time.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'prompts');
const CLIP_MD = 'data/reference/clip-prompts.md';
const CLIP_MD_SOURCE = 'openai/CLIP data/prompts.md (copied to data/reference/clip-prompts.md)';

// Section heading in clip-prompts.md → shipped prompt-set id.
const CLIP_MD_IDS = {
  Birdsnap: 'birdsnap', CIFAR10: 'cifar10', CIFAR100: 'cifar100', CLEVRCounts: 'clevr-counts',
  Caltech101: 'caltech101', Country211: 'country211', DescribableTextures: 'dtd', EuroSAT: 'eurosat',
  FGVCAircraft: 'fgvc-aircraft', FacialEmotionRecognition2013: 'fer2013', Flowers102: 'flowers102',
  Food101: 'food101', GTSRB: 'gtsrb', HatefulMemes: 'hateful-memes', KITTI: 'kitti',
  Kinetics700: 'kinetics700', MNIST: 'mnist', OxfordPets: 'oxford-pets', PascalVOC2007: 'voc2007',
  PatchCamelyon: 'pcam', RESISC45: 'resisc45', SST2: 'sst2', STL10: 'stl10', SUN397: 'sun397',
  StanfordCars: 'stanford-cars', UCF101: 'ucf101',
};

/** Tokens of a Python list literal of strings (or of lists of strings). */
function tokenize(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === "'" || ch === '"') {
      const end = src.indexOf(ch, i + 1);
      if (end < 0) throw new Error(`unterminated string at ${src.slice(i, i + 40)}`);
      tokens.push({ str: src.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === '[' || ch === ']' || ch === ',') {
      tokens.push(ch);
      i++;
    } else if (/\s/.test(ch)) {
      i++;
    } else {
      throw new Error(`unexpected character '${ch}' near ${src.slice(i, i + 40)}`);
    }
  }
  return tokens;
}

/** Parses a list literal: strings, or nested lists of strings (FER2013 synonyms). */
function parseList(tokens, pos = 0) {
  if (tokens[pos] !== '[') throw new Error('expected [');
  const out = [];
  pos++;
  while (tokens[pos] !== ']') {
    if (tokens[pos] === '[') {
      const [inner, next] = parseList(tokens, pos);
      out.push(inner);
      pos = next;
    } else if (tokens[pos] && typeof tokens[pos] === 'object') {
      out.push(tokens[pos].str);
      pos++;
    } else {
      throw new Error(`unexpected token ${JSON.stringify(tokens[pos])}`);
    }
    if (tokens[pos] === ',') pos++;
  }
  return [out, pos + 1];
}

function assignment(block, name) {
  const m = block.match(new RegExp(`^${name} = (\\[[\\s\\S]*?^\\])`, 'm'));
  if (!m) throw new Error(`no '${name} = [...]' block`);
  return parseList(tokenize(m[1]))[0];
}

function clipMarkdownSets() {
  const md = readFileSync(join(ROOT, CLIP_MD), 'utf8');
  const sections = md.split(/^## /m).slice(1);
  return sections.map((section) => {
    const heading = section.slice(0, section.indexOf('\n')).trim();
    const id = CLIP_MD_IDS[heading];
    if (!id) throw new Error(`no id for section '${heading}'`);
    const code = section.match(/```bash\n([\s\S]*?)```/)[1];
    return {
      id,
      set: {
        schemaVersion: 1,
        name: id,
        description: `CLIP's zero-shot prompts for ${heading} (class names and templates used in the CLIP paper)`,
        source: CLIP_MD_SOURCE,
        classNames: assignment(code, 'classes'),
        templates: assignment(code, 'templates'),
      },
    };
  });
}

function imagenetSets() {
  const ref = JSON.parse(readFileSync(join(ROOT, 'data/reference/imagenet-prompts.json'), 'utf8'));
  const source = `${ref.source} (copied to data/reference/imagenet-prompts.json)`;
  const seven = ['itap of a {}.', 'a bad photo of the {}.', 'a origami {}.', 'a photo of the large {}.',
    'a {} in a video game.', 'art of the {}.', 'a photo of the small {}.'];
  for (const t of seven) if (!ref.templates.includes(t)) throw new Error(`'${t}' is not one of CLIP's 80`);
  return [
    { id: 'imagenet', set: { schemaVersion: 1, name: 'imagenet', description: "CLIP's 80 ImageNet templates and 1000 edited class names (index order; duplicates such as 'missile' and 'sunglasses' kept)", source, classNames: ref.classes, templates: ref.templates } },
    { id: 'imagenet-7', set: { schemaVersion: 1, name: 'imagenet-7', description: "CLIP's 7 forward-selected ImageNet templates with the 1000 edited class names", source: `${source}; selection from the same notebook`, classNames: ref.classes, templates: seven } },
  ];
}

function shapesSets() {
  const shapes = ['circle', 'square', 'triangle', 'pentagon', 'hexagon', 'star', 'cross', 'diamond'];
  const colours = ['red', 'orange', 'yellow', 'green', 'cyan', 'blue', 'purple', 'pink'];
  const templates = ['a photo of a {}.', 'a {}.', 'an image of a {}.', 'a picture of a {}.',
    'a rendering of a {}.', 'a drawing of a {}.', 'the {}.'];
  const source = 'docs/WORLD.md (shapes world: class order and templates that work)';
  const set = (name, description, classNames, tpl) => ({ id: name, set: { schemaVersion: 1, name, description, source, ...(classNames ? { classNames } : {}), templates: tpl } });
  return [
    set('shapes-shape', 'Shapes world, shape task: the 8 shape names, 7 templates', shapes, templates),
    set('shapes-color', "Shapes world, colour task: '<colour> shape', 7 templates", colours.map((c) => `${c} shape`), templates),
    set('shapes-color_shape', "Shapes world, colour+shape task: '<colour> <shape>', 64 classes colour-major, 7 templates", colours.flatMap((c) => shapes.map((s) => `${c} ${s}`)), templates),
    set('shapes-photo', "Single template 'a photo of a {}.' (templates only)", null, ['a photo of a {}.']),
    set('shapes-plain', 'The bare class name (templates only)', null, ['{}']),
  ];
}

mkdirSync(OUT, { recursive: true });
for (const { id, set } of [...imagenetSets(), ...clipMarkdownSets(), ...shapesSets()]) {
  writeFileSync(join(OUT, `${id}.json`), `${JSON.stringify(set, null, 1)}\n`);
}
