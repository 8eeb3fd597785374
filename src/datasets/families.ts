import { ZeroshiftError } from '../errors.js';
import { Registry } from '../util/registry.js';
import { FAMILY_DATA } from './familyData.js';
import { plainProtocol, type ScoringProtocol } from './scoringProtocol.js';
import { imagenetSubset, imagenetWordnetClasses, objectnetKey, objectnetToImagenet, type ImagenetSubsetId } from './subsets.js';

/** One test set of a family: the standard one or a shifted variant. */
export interface VariantDef {
  id: string;
  summary: string;
  /** Dataset spec with `{dataDir}` standing for the prepared-data directory. */
  specTemplate: string;
  isStandard: boolean;
  /** Key of the shipped prompt set whose class list is the classifier's (`imagenet`, `cifar10`, ...). */
  promptKey: string;
  /** The variant covers only these classes of the prompt set (columns are restricted to them). */
  subset: ImagenetSubsetId | null;
  /** The dataset's own classes map many-to-one onto prompt-set classes. */
  mapping: 'objectnet' | null;
  /** How scores must be computed to match the published protocol, when it is not plain top-1. */
  protocol: string | null;
}

/** A standard test set with its shifted variants sharing one label space. */
export interface FamilyDef {
  id: string;
  summary: string;
  /** Whether the registered synthetic corruptions are also shifts of this family's standard set. */
  syntheticCorruptions: boolean;
  variants: VariantDef[];
}

export const families = new Registry<FamilyDef>('dataset family');
for (const f of FAMILY_DATA) families.register(f.id, f);

/** All families in registration order. */
export function listFamilies(): FamilyDef[] {
  return families.entries().map(([, f]) => f);
}

/** Finds a variant by id across families; unknown ids list the known ones. */
export function findVariant(id: string): { family: FamilyDef; variant: VariantDef } {
  for (const family of listFamilies()) {
    const variant = family.variants.find((v) => v.id === id);
    if (variant) return { family, variant };
  }
  const known = listFamilies().flatMap((f) => f.variants.map((v) => v.id)).filter((v) => !/-c-.*-[2-5]$/.test(v));
  throw new ZeroshiftError('USAGE', `unknown dataset variant '${id}'; known: ${known.join(', ')} (and cifar10-c-, imagenet-c-, tiny-imagenet-c-<corruption>-<1..5>)`);
}

/** The variant's dataset spec for data prepared under `dataDir`. */
export function variantSpec(variant: VariantDef, dataDir: string): string {
  return variant.specTemplate.replaceAll('{dataDir}', dataDir.replace(/\/+$/, ''));
}

/**
 * How the runner scores a variant. The classifier is built over the full class list of the
 * variant's prompt set (`promptKey`), C classes.
 * - `classColumns`: null to arg-max over all C columns, else the sorted column indices (into
 *   the C classes) the logits are restricted to; the prediction is the column index of the
 *   maximum among them (still an index into the C classes).
 * - `labelToCorrect(label)`: for a dataset label (index into the dataset's classNames), the set
 *   of column indices (into the C classes) that count as correct; null when the item is not
 *   scored at all (ObjectNet classes outside the 113 mapped ones) and must be left out of
 *   every metric's denominator.
 */
export interface ScoreMapping {
  classColumns: number[] | null;
  labelToCorrect(label: number): ReadonlySet<number> | null;
}

/** Scores as a pure function of the variant and the opened dataset's class names. */
export function scoreMapping(variant: VariantDef, datasetClassNames: readonly string[]): ScoreMapping {
  if (variant.mapping === 'objectnet') return objectnetScoring(datasetClassNames);
  if (variant.subset !== null) return subsetScoring(variant.subset, datasetClassNames);
  return { classColumns: null, labelToCorrect: (label) => new Set([label]) };
}

/**
 * imagenet-testbed's ObjectNet setting crops this many pixels from every edge of each image
 * (`PIL.ImageOps.crop(image, border=2)`) before the model's own preprocessing.
 */
export const OBJECTNET_BORDER = 2;

/**
 * The variant's scoring protocol as data (recorded in results): `scoreMapping` with the
 * acceptable columns of each dataset label translated into positions among the scored
 * columns, and ObjectNet's border crop.
 */
export function variantProtocol(variant: VariantDef, datasetClassNames: readonly string[]): ScoringProtocol {
  if (variant.subset === null && variant.mapping === null) return plainProtocol();
  const m = scoreMapping(variant, datasetClassNames);
  const position = new Map((m.classColumns ?? []).map((c, i) => [c, i]));
  const positionsOf = (ok: ReadonlySet<number>): number[] =>
    (m.classColumns ? [...ok].map((c) => position.get(c)).filter((p): p is number => p !== undefined) : [...ok]).sort((a, b) => a - b);
  return {
    classColumns: m.classColumns,
    // Subsets need no table: dataset label i is the i-th scored column.
    labelColumns: variant.mapping ? datasetClassNames.map((_, label) => {
      const ok = m.labelToCorrect(label);
      return ok ? positionsOf(ok) : null;
    }) : null,
    crop: variant.mapping === 'objectnet' ? { border: OBJECTNET_BORDER } : null,
  };
}

/** Dataset label i is the subset's i-th class (synset folders sort like the ascending indices). */
function subsetScoring(id: ImagenetSubsetId, names: readonly string[]): ScoreMapping {
  const subset = [...imagenetSubset(id)];
  if (names.length !== subset.length) {
    throw new ZeroshiftError('DATASET', `${id} must have ${subset.length} classes (one folder per synset), the dataset has ${names.length}`);
  }
  const wnids = imagenetWordnetClasses();
  names.forEach((n, i) => {
    if (/^n\d{8}$/.test(n) && n !== wnids[subset[i]].wnid) {
      throw new ZeroshiftError('DATASET', `${id}: class folder ${i} is '${n}' but the subset's class ${i} is ${wnids[subset[i]].wnid}`);
    }
  });
  return { classColumns: subset, labelToCorrect: (label) => new Set([subset[label]]) };
}

function objectnetScoring(names: readonly string[]): ScoreMapping {
  const mapping = objectnetToImagenet();
  const byKey = new Map([...mapping].map(([name, ids]) => [objectnetKey(name), ids]));
  const perLabel = names.map((n) => byKey.get(objectnetKey(n)) ?? null);
  const found = new Set(names.map(objectnetKey));
  const missing = [...mapping.keys()].filter((n) => !found.has(objectnetKey(n)));
  if (missing.length > 0) {
    throw new ZeroshiftError('DATASET', `ObjectNet class folders missing for ${missing.length} mapped classes: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}`, {
      hint: 'folders are matched to objectnet_to_imagenet_1k.json names ignoring case and non-alphanumerics',
    });
  }
  const columns = [...new Set([...mapping.values()].flat())].sort((a, b) => a - b);
  return { classColumns: columns, labelToCorrect: (label) => (perLabel[label] ? new Set(perLabel[label]) : null) };
}
