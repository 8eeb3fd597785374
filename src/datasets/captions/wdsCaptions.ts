import { basename, join } from 'node:path';
import { ZeroshiftError } from '../../errors.js';
import { formatDatasetSpec } from '../spec.js';
import { fingerprintFiles } from '../files.js';
import { readTarEntries, type TarFile } from '../tarEntries.js';
import { memberFilter, oversizeReason, splitEntryName } from '../wds.js';
import { DEFAULT_MAX_MEMBER_BYTES } from '../tarEntries.js';
import { intOption } from '../options.js';
import type { Dataset, DatasetSpec, Sample, SkippedItem } from '../types.js';
import { parseCaptionFile, parseMetadataJson } from './captionText.js';

/** CLIP_benchmark's `to_tuple(["webp", "png", "jpg", "jpeg"], "txt")`: the first present image wins. */
const IMAGE_EXTS = ['webp', 'png', 'jpg', 'jpeg'] as const;

/** Members a caption sample uses; the others are streamed past unread. */
const USED_EXTS: ReadonlySet<string> = new Set([...IMAGE_EXTS, 'txt', 'json']);

function finish(key: string, files: Map<string, TarFile>, shard: string, tarPath: string, onSkip: (s: SkippedItem) => void, maxMemberBytes: number): Sample | null {
  const id = `${shard}:${key}`;
  const tooLarge = oversizeReason([...USED_EXTS].map((e) => files.get(e)), tarPath, maxMemberBytes);
  if (tooLarge !== null) {
    onSkip({ id, reason: tooLarge });
    return null;
  }
  const ext = IMAGE_EXTS.find((e) => files.has(e));
  if (ext === undefined) {
    onSkip({ id, reason: `no image entry (.${IMAGE_EXTS.join('/.')}) for key '${key}' in ${tarPath}` });
    return null;
  }
  const txt = files.get('txt');
  if (txt === undefined) {
    onSkip({ id, reason: `image without a .txt caption entry for key '${key}' in ${tarPath}` });
    return null;
  }
  const caps = parseCaptionFile(txt.bytes, id, `${tarPath}:${txt.name}`, onSkip);
  if (!caps.ok) {
    onSkip({ id, reason: caps.reason });
    return null;
  }
  const metadata: Record<string, unknown> = { shard, key };
  const json = files.get('json');
  if (json !== undefined) {
    const meta = parseMetadataJson(json.bytes, `${tarPath}:${json.name}`);
    if (!meta.ok) {
      onSkip({ id, reason: meta.reason });
      return null;
    }
    Object.assign(metadata, meta.metadata);
  }
  const image = files.get(ext)!;
  return { id, image: { kind: 'bytes', bytes: image.bytes, name: image.name }, label: -1, captions: caps.captions, metadata };
}

async function* shardSamples(tarPath: string, shard: string, onSkip: (s: SkippedItem) => void, maxMemberBytes: number, signal?: AbortSignal): AsyncGenerator<Sample> {
  let key: string | null = null;
  let files = new Map<string, TarFile>();
  for await (const event of readTarEntries(tarPath, signal, memberFilter(USED_EXTS, maxMemberBytes))) {
    if (event.kind === 'damaged') {
      onSkip({ id: key === null ? shard : `${shard}:${key}`, reason: `damaged tar ${tarPath} (${event.reason}); the rest of this shard is skipped` });
      return;
    }
    const parts = splitEntryName(event.file.name);
    if (parts === null) continue;
    if (parts.key !== key) {
      const s = key === null ? null : finish(key, files, shard, tarPath, onSkip, maxMemberBytes);
      if (s) yield s;
      key = parts.key;
      files = new Map();
    }
    if (!files.has(parts.ext)) files.set(parts.ext, event.file);
  }
  const last = key === null ? null : finish(key, files, shard, tarPath, onSkip, maxMemberBytes);
  if (last) yield last;
}

/**
 * A CLIP_benchmark retrieval WebDataset (`dataset_type.txt` = retrieval): in each shard a
 * sample is KEY.{webp,png,jpg,jpeg} + KEY.txt (captions, one per line) + optional KEY.json
 * (metadata). Opened by the `wds` adapter once it has found the split's shards.
 */
export async function openWdsCaptions(spec: DatasetSpec, root: string, split: string, shards: string[]): Promise<Dataset> {
  if (shards.length === 0) throw new ZeroshiftError('DATASET', `${join(root, split)}: no shards`);
  const maxMemberBytes = intOption(spec, 'max-member-size', DEFAULT_MAX_MEMBER_BYTES, 1, Number.MAX_SAFE_INTEGER)!;
  return {
    spec: formatDatasetSpec({ ...spec, options: { ...spec.options, split } }),
    adapter: 'wds',
    name: basename(root).replace(/^wds_/, ''),
    classNames: [],
    captioned: true,
    fingerprint: await fingerprintFiles(root, shards, { split, type: 'retrieval' }),
    async *samples(options = {}) {
      const onSkip = options.onSkip ?? (() => {});
      for (const tarPath of shards) {
        options.signal?.throwIfAborted();
        yield* shardSamples(tarPath, `${split}/${basename(tarPath)}`, onSkip, maxMemberBytes, options.signal);
      }
    },
  };
}
