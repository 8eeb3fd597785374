import { basename, join } from 'node:path';
import { ZeroshiftError } from '../../errors.js';
import { resolveInside } from '../../util/containedPath.js';
import { formatDatasetSpec } from '../spec.js';
import { checkOptions, enumOption, requireArg } from '../options.js';
import { fingerprintFiles, isFile, readRegularFile, splitLines } from '../files.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample } from '../types.js';

/**
 * XTD10's caption languages (Aggarwal & Kale 2020; de and fr from MIC, jp from STAIR), as
 * CLIP_benchmark's xtd10 and multilingual_mscoco loaders take them.
 */
export const XTD10_LANGUAGES = ['de', 'en', 'es', 'fr', 'it', 'jp', 'ko', 'pl', 'ru', 'tr', 'zh'] as const;

const OPTIONS = {
  lang: `caption language: ${XTD10_LANGUAGES.join(', ')} (default en)`,
  images: 'folder of the images test_image_names.txt names (default DIR/images)',
};

async function lines(path: string, what: string): Promise<string[]> {
  const bytes = await readRegularFile(path, what);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ZeroshiftError('DATASET', `${path}: not valid UTF-8; ${what} must be UTF-8 text`);
  }
  return splitLines(text);
}

/**
 * XTD10 (1000 COCO train2014 images with one caption each in 11 languages): DIR holds
 * test_image_names.txt (one image file name per line) and test_1kcaptions_<lang>.txt (line i
 * is the caption of image i), the images under DIR/images. CLIP_benchmark's `xtd10` and
 * `multilingual_mscoco` both read these files. An image missing from the folder is skipped
 * and listed, as CLIP_benchmark leaves it out; image names must stay inside the folder.
 */
async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const dir = requireArg(spec, 'the XTD10 folder (test_image_names.txt, test_1kcaptions_<lang>.txt, images/)');
  const lang = enumOption(spec, 'lang', XTD10_LANGUAGES, 'en');
  const imagesDir = spec.options.images ?? join(dir, 'images');
  const namesFile = join(dir, 'test_image_names.txt');
  const captionsFile = join(dir, `test_1kcaptions_${lang}.txt`);
  const names = await lines(namesFile, 'XTD10 image list');
  const captions = await lines(captionsFile, `XTD10 ${lang} captions`);
  if (names.length !== captions.length) {
    throw new ZeroshiftError('DATASET', `${captionsFile}: ${captions.length} captions but ${namesFile} names ${names.length} images; line i of each must describe the same image`);
  }
  captions.forEach((c, i) => {
    if (c.trim() === '') throw new ZeroshiftError('DATASET', `${captionsFile}:${i + 1}: empty caption`);
  });
  const paths = names.map((n, i) => resolveInside(imagesDir, n.trim(), { source: namesFile, key: `line ${i + 1}`, code: 'DATASET' }));
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'xtd10',
    name: `xtd10-${lang}`,
    classNames: [],
    captioned: true,
    size: names.length,
    fingerprint: await fingerprintFiles(dir, [namesFile, captionsFile], { lang, images: imagesDir }),
    async *samples(options = {}) {
      const onSkip = options.onSkip ?? (() => {});
      for (const [i, name] of names.entries()) {
        options.signal?.throwIfAborted();
        if (!(await isFile(paths[i]))) {
          onSkip({ id: name, reason: `${paths[i]}: image missing (line ${i + 1} of ${basename(namesFile)}); left out, as CLIP_benchmark does` });
          continue;
        }
        const s: Sample = { id: name.trim(), image: { kind: 'path', path: paths[i] }, label: -1, captions: [captions[i].trim()], metadata: { line: i + 1, lang } };
        yield s;
      }
    },
  };
}


export const xtd10Adapter: AdapterDef = {
  id: 'xtd10',
  summary: 'XTD10 (also CLIP_benchmark\'s multilingual_mscoco): 1000 COCO images with captions in 11 languages, for zero-shot retrieval',
  format: 'DIR/test_image_names.txt and DIR/test_1kcaptions_<lang>.txt (line i = image i), images in DIR/images; ?lang=de picks the captions',
  options: OPTIONS,
  example: 'xtd10:/data/xtd10?lang=de',
  open,
};
