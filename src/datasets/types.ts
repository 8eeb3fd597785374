import type { RawImage } from '../image/rawImage.js';

import type { ImageSource } from '../image/imageSource.js';

export type { ImageSource } from '../image/imageSource.js';

/** One labelled item of a dataset. `id` is unique and stable within the dataset. */
export interface Sample {
  id: string;
  image: ImageSource;
  /** Class index into Dataset.classNames; -1 for items of a captioned (retrieval) dataset. */
  label: number;
  /** Every class present, for multi-label datasets (VOC2007); `label` is then -1. */
  labels?: number[];
  /** The item's captions, for captioned datasets (zero-shot retrieval); at least one. */
  captions?: string[];
  /** Per-item metadata (WebDataset .json, CSV columns, ...); `--group-by` reads fields of it. */
  metadata?: Record<string, unknown>;
  /**
   * For caption-selection datasets (SugarCrepe, Winoground): the instance this image belongs
   * to, its position among the instance's images (image i goes with caption i) and the
   * instance's captions (the same list on every image of the instance).
   */
  instance?: { id: string; index: number; captions: string[] };
}

/** An item that could not be used, with the reason; results list these. */
export interface SkippedItem {
  id: string;
  reason: string;
}

/** Options every adapter understands when streaming. */
export interface StreamOptions {
  signal?: AbortSignal;
}

/**
 * An opened dataset. `samples()` streams lazily with bounded memory and may be called more
 * than once (each call restarts from the beginning). Problems with single items found while
 * reading (an entry without a label, say) are reported through `onSkip`, never thrown.
 */
export interface Dataset {
  /** Canonical spec string, e.g. `wds:/data/cifar10?split=test`. */
  spec: string;
  /** Adapter id (`wds`, `folder`, `shapes`, ...). */
  adapter: string;
  /** Human name, e.g. `cifar10` or `shapes-dark`. */
  name: string;
  classNames: string[];
  /** True when items carry captions instead of labels (classNames is then empty). */
  captioned?: boolean;
  /** True when items carry a set of classes (`Sample.labels`) instead of one label: multi-label mAP. */
  multilabel?: boolean;
  /** True when items are images of caption-selection instances (`Sample.instance`): SugarCrepe, Winoground. */
  selection?: boolean;
  /** Templates carried by the format itself (a WebDataset's templates file), if any. */
  templates?: string[];
  /** Number of samples when known without reading everything. */
  size?: number;
  /** Problems found while opening that did not stop it (e.g. a manifest decoded with replacement characters). */
  warnings?: string[];
  /** Key of the shipped prompt set that fits this dataset (e.g. `cifar10`, `shapes-shape`). */
  promptKey?: string;
  /**
   * Stable identity of the content for caching and reproducibility (hash of the shard list
   * and sizes, the generator parameters, ...).
   */
  fingerprint: string;
  samples(options?: StreamOptions & { onSkip?: (item: SkippedItem) => void }): AsyncIterable<Sample>;
}

/** A parsed dataset spec `adapter:arg?key=value&key=value`. */
export interface DatasetSpec {
  adapter: string;
  arg: string;
  options: Record<string, string>;
}

/** A registered adapter: documents the upstream format it reads. */
export interface AdapterDef {
  id: string;
  /** One line: what it reads. */
  summary: string;
  /** The upstream on-disk format, for `zeroshift datasets`. */
  format: string;
  /** Options it accepts in the spec's query part, with their meaning. */
  options: Record<string, string>;
  /** Example spec. */
  example: string;
  open(spec: DatasetSpec): Promise<Dataset>;
}
