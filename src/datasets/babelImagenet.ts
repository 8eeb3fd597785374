import { ZeroshiftError } from '../errors.js';
import { hashValue } from '../util/hash.js';
import { loadBabelImagenet } from './babelImagenetData.js';
import { folderAdapter } from './folder.js';
import { checkOptions, requireArg } from './options.js';
import { formatDatasetSpec } from './spec.js';
import { imagenetWordnetClasses } from './subsets.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample } from './types.js';

const OPTIONS = { lang: 'the Babel-ImageNet language, lower-case as CLIP_benchmark codes it (de, fr, zh, ja, ...; required)' };

/**
 * Babel-ImageNet as CLIP_benchmark's `babel_imagenet` dataset evaluates it: the ImageNet val
 * folder DIR (the 1000 WordNet-id folders) restricted to the k classes the language has names
 * for, each image's label its class's position among those k (ImageNet index order), the class
 * names in that language and the NLLB-translated templates carried as the dataset's own, so the
 * automatic prompt choice builds the k-row classifier CLIP_benchmark builds.
 */
async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const root = requireArg(spec, 'the ImageNet val folder (1000 WordNet-id folders)');
  const babel = loadBabelImagenet();
  const code = spec.options.lang;
  const language = code === undefined ? undefined : babel.languages.get(code);
  if (language === undefined) {
    const known = [...babel.languages.keys()].sort().join(', ');
    const omitted = code !== undefined && babel.omitted.includes(code) ? ` (${code} has Babel-ImageNet class names but no NLLB templates in CLIP_benchmark, which cannot evaluate it either)` : '';
    throw new ZeroshiftError('USAGE', `adapter 'babel-imagenet': lang=${code ?? '(missing)'} is not a Babel-ImageNet language${omitted}; languages: ${known}`, {
      hint: `add ?lang=CODE, e.g. babel-imagenet:${root}?lang=de`,
    });
  }
  const folder = await folderAdapter.open({ adapter: 'folder', arg: root, options: {} });
  const wnids = imagenetWordnetClasses().map((c) => c.wnid);
  if (folder.classNames.length !== wnids.length || folder.classNames.some((n, i) => n !== wnids[i])) {
    throw new ZeroshiftError('DATASET', `${root}: Babel-ImageNet needs the ImageNet val layout, the 1000 WordNet-id folders (n01440764 ... n15075141) as class names; found ${folder.classNames.length} classes starting ${folder.classNames.slice(0, 3).join(', ')}`, {
      hint: 'point it at ImageNet val sorted into one folder per synset (no classnames.txt)',
    });
  }
  // ImageNet index -> position in the language's subset (CLIP_benchmark's idxs.index(target)).
  const position = new Map(language.classIndices.map((imagenetIndex, k) => [imagenetIndex, k]));
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'babel-imagenet',
    name: `babel-imagenet-${code}`,
    classNames: [...language.classNames],
    templates: [...language.templates],
    warnings: folder.warnings,
    fingerprint: hashValue({ folder: folder.fingerprint, babel: babel.source, lang: code }),
    async *samples(options = {}) {
      for await (const sample of folder.samples(options)) {
        const k = position.get(sample.label);
        // Images of classes outside the subset are not part of this dataset (as CLIP_benchmark's select_idxs).
        if (k === undefined) continue;
        const kept: Sample = { ...sample, label: k };
        yield kept;
      }
    },
  };
}

export const babelImagenetAdapter: AdapterDef = {
  id: 'babel-imagenet',
  summary: "Babel-ImageNet (CLIP_benchmark's babel_imagenet): ImageNet val restricted to a language's class subset, with class names and NLLB templates in that language",
  format: 'DIR = ImageNet val as 1000 WordNet-id folders (folder layout); ?lang=CODE picks one of 90 languages; class i = i-th class of the subset in ImageNet index order',
  options: OPTIONS,
  example: 'babel-imagenet:/data/imagenet/val?lang=de',
  open,
};
