import { basename, dirname, join } from 'node:path';
import { ZeroshiftError } from '../../errors.js';
import { resolveInside } from '../../util/containedPath.js';
import { formatDatasetSpec } from '../spec.js';
import { checkOptions, enumOption, requireArg } from '../options.js';
import { fingerprintFiles, isFile, readRegularFile, splitLines } from '../files.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample, SkippedItem } from '../types.js';

/** Crossmodal-3600's 36 caption languages, as its captions.jsonl keys them (CLIP_benchmark's crossmodal3600 list). */
export const XM3600_LANGUAGES = [
  'ar', 'bn', 'cs', 'da', 'de', 'el', 'en', 'es', 'fa', 'fi', 'fil', 'fr', 'he', 'hi', 'hr', 'hu', 'id', 'it',
  'ja', 'ko', 'mi', 'nl', 'no', 'pl', 'pt', 'quz', 'ro', 'ru', 'sv', 'sw', 'te', 'th', 'tr', 'uk', 'vi', 'zh',
] as const;

const OPTIONS = {
  lang: `caption language: ${XM3600_LANGUAGES.join(', ')} (default en)`,
  captions: "'first' (each image's first caption in the language, as CLIP_benchmark) or 'all' (default first)",
  images: 'folder of the <image/key>.jpg images (default images/ beside the captions file)',
};

interface Item { key: string; path: string; captions: string[]; line: number }

function fail(path: string, line: number, what: string): never {
  throw new ZeroshiftError('DATASET', `${path}:${line}: ${what}; expected Crossmodal-3600's captions.jsonl lines {"image/key", "<lang>": {"caption": [...]}, ...}`);
}

/**
 * Crossmodal-3600 (Thapliyal et al. 2022: 3,600 Open Images photos, captions written in 36
 * languages): captions.jsonl, one image per line, read into zero-shot retrieval as
 * CLIP_benchmark's crossmodal3600 loader does: image `<image/key>.jpg` with the language's first
 * caption (`?captions=all` keeps all of them). An image without captions in the language, or
 * missing from the folder, is left out and listed; keys must name files inside the folder.
 */
async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const path = requireArg(spec, "Crossmodal-3600's captions.jsonl");
  const lang = enumOption(spec, 'lang', XM3600_LANGUAGES, 'en');
  const which = enumOption(spec, 'captions', ['first', 'all'] as const, 'first');
  const imagesDir = spec.options.images ?? join(dirname(path), 'images');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readRegularFile(path, 'Crossmodal-3600 captions'));
  } catch (e) {
    if (e instanceof ZeroshiftError) throw e;
    throw new ZeroshiftError('DATASET', `${path}: not valid UTF-8; captions must be UTF-8 text`);
  }
  const items: Item[] = [];
  const problems: SkippedItem[] = [];
  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw) as Record<string, unknown>;
    } catch (e) {
      fail(path, line, `not JSON (${(e as Error).message.slice(0, 60)})`);
    }
    const key = row['image/key'];
    if (typeof key !== 'string' || key === '') fail(path, line, 'no string "image/key"');
    const entry = Object.hasOwn(row, lang) ? (row[lang] as { caption?: unknown } | null) : null;
    const captions = Array.isArray(entry?.caption) ? entry.caption.filter((c): c is string => typeof c === 'string' && c.trim() !== '').map((c) => c.trim()) : [];
    if (captions.length === 0) {
      problems.push({ id: key, reason: `${path}:${line}: no ${lang} caption for ${key}; left out` });
      return;
    }
    const file = resolveInside(imagesDir, `${key}.jpg`, { source: path, key: `line ${line} "image/key"`, code: 'DATASET' });
    items.push({ key, path: file, captions: which === 'first' ? captions.slice(0, 1) : captions, line });
  });
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'xm3600',
    name: `xm3600-${lang}`,
    classNames: [],
    captioned: true,
    size: items.length,
    fingerprint: await fingerprintFiles(dirname(path), [path], { lang, captions: which, images: imagesDir }),
    async *samples(options = {}) {
      const onSkip = options.onSkip ?? (() => {});
      problems.forEach(onSkip);
      for (const it of items) {
        options.signal?.throwIfAborted();
        if (!(await isFile(it.path))) {
          onSkip({ id: it.key, reason: `${it.path}: image missing (line ${it.line} of ${basename(path)}); left out, as CLIP_benchmark does` });
          continue;
        }
        const s: Sample = { id: it.key, image: { kind: 'path', path: it.path }, label: -1, captions: it.captions, metadata: { line: it.line, lang } };
        yield s;
      }
    },
  };
}


export const xm3600Adapter: AdapterDef = {
  id: 'xm3600',
  summary: 'Crossmodal-3600: 3,600 photos with captions in 36 languages, for multilingual zero-shot retrieval',
  format: 'captions.jsonl lines {"image/key": K, "<lang>": {"caption": [...]}, ...}; images <K>.jpg under ?images=DIR (default images/ beside it); ?lang=de',
  options: OPTIONS,
  example: 'xm3600:/data/xm3600/captions.jsonl?lang=de',
  open,
};
