import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { shellQuote } from '../util/shellQuote.js';
import { formatDatasetSpec } from './spec.js';
import { checkOptions, intOption, requireArg } from './options.js';
import { exists, fingerprintFiles, readClassNames, readTextFile, splitLines } from './files.js';
import { DEFAULT_MAX_MEMBER_BYTES, readTarEntries, type TarFile } from './tarEntries.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample, SkippedItem } from './types.js';
import { openWdsCaptions } from './captions/wdsCaptions.js';
import { parseMetadataJson } from './captions/captionText.js';
import { parseNpyVector } from './npyMetadata.js';

const OPTIONS = {
  split: 'split sub-directory to read (default test)',
  'metadata-fields': 'comma-separated names of the values in each sample\'s KEY.npy metadata vector (DataComp fairness/WILDS sets, e.g. income_ds,income_meta,region), for --group-by',
  'max-member-size': `largest tar member read, in bytes (default ${DEFAULT_MAX_MEMBER_BYTES}); a sample with a larger image, .cls or .json is skipped`,
};
/** CLIP_benchmark's `to_tuple(["webp", "png", "jpg", "jpeg"], "cls")`: the first present wins. */
const IMAGE_EXTS = ['webp', 'png', 'jpg', 'jpeg'] as const;
/** webdataset's base_plus_ext: the key is the path up to the first dot of the basename. */
const KEY_RE = /^((?:.*\/|)[^./]+)\.([^/]*)$/;

/** Splits a tar entry name into webdataset (key, lower-cased extension); null when it has no extension. */
export function splitEntryName(name: string): { key: string; ext: string } | null {
  const m = KEY_RE.exec(name);
  return m ? { key: m[1], ext: m[2].toLowerCase() } : null;
}

interface Group {
  key: string;
  files: Map<string, TarFile>;
  duplicate: string | null;
}

interface ShardContext {
  tarPath: string;
  shard: string;
  classNames: string[];
  maxMemberBytes: number;
  onSkip: (item: SkippedItem) => void;
  /** Names of the KEY.npy metadata values (?metadata-fields=); the .npy is read only with them. */
  npyFields?: string[];
}

/** Members a classification sample uses; the others (.mp4, .npy, ...) are streamed past unread. */
const USED_EXTS: ReadonlySet<string> = new Set([...IMAGE_EXTS, 'cls', 'json']);
const USED_WITH_NPY: ReadonlySet<string> = new Set([...USED_EXTS, 'npy']);

/** The tar read options for members whose lower-cased extension is in `used`. */
export function memberFilter(used: ReadonlySet<string>, maxMemberBytes: number): { wanted: (name: string) => boolean; maxMemberBytes: number } {
  return { wanted: (name) => used.has(splitEntryName(name)?.ext ?? ''), maxMemberBytes };
}

/**
 * Why a sample is skipped when one of the members it uses was over the member limit (its
 * content was not read), or null. Names the shard, the member and both sizes.
 */
export function oversizeReason(members: readonly (TarFile | undefined)[], tarPath: string, limit: number): string | null {
  const big = members.find((m) => m?.unread === 'too-large');
  if (big === undefined) return null;
  return `${tarPath}: member '${big.name}' is ${big.size} bytes, over the ${limit}-byte member limit; this sample is skipped (raise the limit with ?max-member-size=BYTES in the dataset spec)`;
}

function parseCls(file: TarFile, ctx: ShardContext): number {
  const text = Buffer.from(file.bytes).toString('latin1').trim();
  const label = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(label) || label >= ctx.classNames.length) {
    throw new ZeroshiftError(
      'DATASET',
      `${ctx.tarPath}: entry '${file.name}' holds class '${text.slice(0, 40)}', not an index in 0..${ctx.classNames.length - 1} of classnames.txt`,
    );
  }
  return label;
}

/** The KEY.npy values named by ?metadata-fields=, or why they cannot be read (null without the option or the member). */
function npyMetadata(file: TarFile | undefined, ctx: ShardContext): { ok: true; metadata: Record<string, number> } | { ok: false; reason: string } | null {
  if (!ctx.npyFields || file === undefined) return null;
  const parsed = parseNpyVector(file.bytes, `${ctx.tarPath}:${file.name}`);
  if (!parsed.ok) return parsed;
  if (parsed.values.length < ctx.npyFields.length) return { ok: false, reason: `metadata ${ctx.tarPath}:${file.name} has ${parsed.values.length} values for ${ctx.npyFields.length} metadata fields (${ctx.npyFields.join(', ')})` };
  return { ok: true, metadata: Object.fromEntries(ctx.npyFields.map((f, i) => [f, parsed.values[i]])) };
}

/** Turns a complete group into a sample, or reports why it cannot be one. */
function finishGroup(g: Group, ctx: ShardContext): Sample | null {
  const id = `${ctx.shard}:${g.key}`;
  if (g.duplicate !== null) {
    // The whole sample is dropped (webdataset raises on a repeated member): which copy is meant cannot be known.
    ctx.onSkip({ id, reason: `duplicate key in ${ctx.tarPath} (${g.duplicate}); this sample is skipped` });
    return null;
  }
  const ext = IMAGE_EXTS.find((e) => g.files.has(e));
  const cls = g.files.get('cls');
  if (ext === undefined) {
    ctx.onSkip({ id, reason: `no image entry (.${IMAGE_EXTS.join('/.')}) for key '${g.key}' in ${ctx.tarPath}` });
    return null;
  }
  if (cls === undefined) {
    ctx.onSkip({ id, reason: `image without a .cls entry for key '${g.key}' in ${ctx.tarPath}` });
    return null;
  }
  const image = g.files.get(ext)!;
  const json = g.files.get('json');
  const tooLarge = oversizeReason([image, cls, json, ctx.npyFields ? g.files.get('npy') : undefined], ctx.tarPath, ctx.maxMemberBytes);
  if (tooLarge !== null) {
    ctx.onSkip({ id, reason: tooLarge });
    return null;
  }
  const meta = json === undefined ? null : parseMetadataJson(json.bytes, `${ctx.tarPath}:${json.name}`);
  if (meta && !meta.ok) {
    ctx.onSkip({ id, reason: meta.reason });
    return null;
  }
  const npyMeta = npyMetadata(g.files.get('npy'), ctx);
  if (npyMeta && !npyMeta.ok) {
    ctx.onSkip({ id, reason: npyMeta.reason });
    return null;
  }
  // A label outside the class list means the shard and classnames.txt disagree (a dataset
  // error, not a damaged item): it stops the run, naming the tar and entry.
  const label = parseCls(cls, ctx);
  return {
    id,
    image: { kind: 'bytes', bytes: image.bytes, name: image.name },
    label,
    metadata: { shard: ctx.shard, key: g.key, ...(meta?.ok ? meta.metadata : {}), ...(npyMeta?.ok ? npyMeta.metadata : {}) },
  };
}

/** Groups consecutive entries by key as webdataset does, one shard at a time. */
async function* shardSamples(ctx: ShardContext, signal?: AbortSignal): AsyncGenerator<Sample> {
  const seen = new Set<string>();
  let group: Group | null = null;
  for await (const event of readTarEntries(ctx.tarPath, signal, memberFilter(ctx.npyFields ? USED_WITH_NPY : USED_EXTS, ctx.maxMemberBytes))) {
    if (event.kind === 'damaged') {
      // The group read before the damage is intact when it already has its image and label.
      const intact = group !== null && group.files.has('cls') && IMAGE_EXTS.some((e) => group!.files.has(e));
      const sample = intact ? finishGroup(group!, ctx) : null;
      if (sample) yield sample;
      const id = group && !intact ? `${ctx.shard}:${group.key}` : ctx.shard;
      ctx.onSkip({ id, reason: `damaged tar ${ctx.tarPath} (${event.reason}); the rest of this shard is skipped` });
      return;
    }
    const parts = splitEntryName(event.file.name);
    if (parts === null) continue;
    if (group !== null && group.key === parts.key) {
      const have = group.files.get(parts.ext);
      if (have === undefined) group.files.set(parts.ext, event.file);
      // `.PNG` next to `.png` is two members to webdataset (suffixes are case-sensitive), not a
      // repeat: the lower-case one is used, as CLIP_benchmark's to_tuple("png") would.
      else if (have.name === event.file.name) group.duplicate ??= `entry '${event.file.name}' appears twice`;
      else if (event.file.name.endsWith(`.${parts.ext}`)) group.files.set(parts.ext, event.file);
      continue;
    }
    const sample = group === null ? null : finishGroup(group, ctx);
    if (sample) yield sample;
    group = { key: parts.key, files: new Map([[parts.ext, event.file]]), duplicate: seen.has(parts.key) ? `key '${parts.key}' seen earlier` : null };
    seen.add(parts.key);
  }
  const last = group === null ? null : finishGroup(group, ctx);
  if (last) yield last;
}

async function listShards(splitDir: string): Promise<string[]> {
  const nshardsPath = join(splitDir, 'nshards.txt');
  const text = splitLines(await readTextFile(nshardsPath, 'shard count')).join('').trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new ZeroshiftError('DATASET', `${nshardsPath}:1: '${text}' is not a positive shard count`);
  const present = (await readdir(splitDir)).filter((f) => f.endsWith('.tar')).sort();
  const expected = Array.from({ length: n }, (_, i) => `${i}.tar`);
  const missing = expected.filter((f) => !present.includes(f));
  const extra = present.filter((f) => !expected.includes(f));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length ? `missing ${missing.slice(0, 5).join(', ')}` : '', extra.length ? `unexpected ${extra.slice(0, 5).join(', ')}` : ''];
    throw new ZeroshiftError('DATASET', `${nshardsPath}:1 says ${n} shards (0.tar..${n - 1}.tar) but ${splitDir} has ${present.length} tar files: ${parts.filter(Boolean).join('; ')}`);
  }
  return expected.map((f) => join(splitDir, f));
}

async function knownSplits(root: string): Promise<string[]> {
  const dirs = await readdir(root, { withFileTypes: true });
  const found: string[] = [];
  for (const d of dirs) if (d.isDirectory() && (await exists(join(root, d.name, 'nshards.txt')))) found.push(d.name);
  return found.sort();
}

/** `wds:` names the dataset directory (the one holding classnames.txt and the split folders), not a shard. */
async function requireDirectory(root: string): Promise<void> {
  let st;
  try {
    st = await stat(root);
  } catch {
    return; // a missing directory is reported with the splits found (none)
  }
  if (st.isDirectory()) return;
  const shard = root.endsWith('.tar') || root.endsWith('.tar.gz') || root.endsWith('.tgz');
  throw new ZeroshiftError('DATASET', `wds:${root} is a file, not a WebDataset directory; wds: takes DIR holding classnames.txt and DIR/{split}/nshards.txt with 0.tar..{n-1}.tar`, {
    hint: shard
      ? `pass the dataset directory above the split folder, e.g. wds:${dirname(dirname(root))}?split=${basename(dirname(root))}`
      : 'pass the directory that holds classnames.txt',
  });
}

async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const root = requireArg(spec, 'a WebDataset directory');
  await requireDirectory(root);
  const split = spec.options.split ?? 'test';
  const maxMemberBytes = intOption(spec, 'max-member-size', DEFAULT_MAX_MEMBER_BYTES, 1, Number.MAX_SAFE_INTEGER)!;
  const npyFields = spec.options['metadata-fields']?.split(',').map((f) => f.trim()).filter(Boolean);
  const splitDir = join(root, split);
  if (!(await exists(join(splitDir, 'nshards.txt')))) {
    const splits = (await exists(root)) ? await knownSplits(root) : [];
    throw new ZeroshiftError('DATASET', `WebDataset split '${split}' not found: ${join(splitDir, 'nshards.txt')} is missing; splits present: ${splits.join(', ') || '(none)'}`);
  }
  // CLIP_benchmark's dataset_type.txt: 'retrieval' shards hold captions (.txt) instead of labels.
  const typePath = join(root, 'dataset_type.txt');
  if ((await exists(typePath)) && (await readTextFile(typePath, 'dataset type')).trim().toLowerCase() === 'retrieval') {
    return openWdsCaptions(spec, root, split, await listShards(splitDir));
  }
  if (!(await exists(join(root, 'classnames.txt')))) {
    // Neither layout: say what each needs (zero-shot retrieval on captions is the usual surprise).
    throw new ZeroshiftError('DATASET', `wds:${root} has neither classnames.txt (a classification WebDataset: KEY.cls labels) nor dataset_type.txt = retrieval (a retrieval WebDataset: KEY.txt captions, one per line)`, {
      hint: `for zero-shot retrieval on shards of KEY.{jpg,png,webp} + KEY.txt: echo retrieval > ${shellQuote(join(root, 'dataset_type.txt'))}; for classification: write the class names, one per line, to ${shellQuote(join(root, 'classnames.txt'))}`,
    });
  }
  const classNames = await readClassNames(join(root, 'classnames.txt'));
  const templatesPath = join(root, 'zeroshot_classification_templates.txt');
  const templates = (await exists(templatesPath)) ? splitLines(await readTextFile(templatesPath, 'templates')) : undefined;
  const shards = await listShards(splitDir);
  const fingerprint = await fingerprintFiles(root, [join(root, 'classnames.txt'), ...shards], { split });
  return {
    spec: formatDatasetSpec({ ...spec, options: { split, ...(spec.options['max-member-size'] !== undefined ? { 'max-member-size': String(maxMemberBytes) } : {}), ...(npyFields ? { 'metadata-fields': npyFields.join(',') } : {}) } }),
    adapter: 'wds',
    name: basename(root).replace(/^wds_/, ''),
    classNames,
    templates,
    fingerprint,
    async *samples(options = {}) {
      const onSkip = options.onSkip ?? (() => {});
      for (const tarPath of shards) {
        options.signal?.throwIfAborted();
        yield* shardSamples({ tarPath, shard: `${split}/${basename(tarPath)}`, classNames, maxMemberBytes, onSkip, npyFields }, options.signal);
      }
    },
  };
}

export const wdsAdapter: AdapterDef = {
  id: 'wds',
  summary: 'CLIP_benchmark WebDataset directory (tar shards of KEY.webp|png|jpg + KEY.cls)',
  format:
    'DIR/classnames.txt (one class per line), optional DIR/zeroshot_classification_templates.txt, ' +
    'DIR/{split}/nshards.txt (shard count n) and DIR/{split}/0.tar..{n-1}.tar; in each tar a sample is ' +
    'KEY.{webp,png,jpg,jpeg} + KEY.cls (class index as ASCII text), entries grouped by key as webdataset does; ' +
    "with DIR/dataset_type.txt = 'retrieval', KEY.txt holds the image's captions (one per line) instead, no classnames.txt",
  options: OPTIONS,
  example: 'wds:/data/wds_cifar10?split=test',
  open,
};
