import { listFamilies, findVariant, type FamilyDef, type VariantDef } from '../datasets/families.js';
import { parseDatasetSpec, formatDatasetSpec } from '../datasets/spec.js';
import { plainProtocol } from '../datasets/scoringProtocol.js';
import { resolveDataDir } from '../util/dataDir.js';
import { closest } from '../util/suggest.js';
import { ZeroshiftError } from '../errors.js';
import { targetFor } from './familyTargets.js';
import type { EvalTarget } from '../tasks/unit.js';
import type { Dataset } from '../datasets/types.js';
import { shippedManifest } from '../prepare/manifest.js';
import { resolveDataset } from '../prepare/resolve.js';

/** Adapters whose images are generated from options (so `n` sets how many there are). */
const GENERATED_ADAPTERS: readonly string[] = ['shapes'];

/** Spec options that pick which files of a prepared dataset are read: they must agree for a spec to be a variant. */
const IDENTIFYING_OPTIONS: readonly string[] = ['corruption', 'severity', 'images', 'labels', 'split'];

/** How a dataset named on the command line or in a suite's `spec` entry is resolved. */
export interface SpecTargetOptions {
  dataDir?: string;
  /** --n: images of a generated dataset. */
  n?: number;
  /** Where the spec was given, for error messages (`--dataset`, a suite file). */
  where: string;
  /** Told when an option has no effect (e.g. --n on a folder). */
  onWarning?(message: string): void;
  /** Opens a family variant's dataset: the plan's resources, so each spec opens once per plan (default: a fresh open). */
  open?: (spec: string) => Promise<Dataset>;
}

/**
 * The evaluation target of a dataset given by spec (`shapes:dark`, `folder:/data/imagenet-r`)
 * or by a prepared dataset's name (`cifar10`, `imagenet-r`, `shapes-dark`; any other
 * `zeroshift prepare` entry such as `sugarcrepe/swap_att` by its spec, of no family). A spec that is a
 * known family variant (a shapes world; CIFAR-10.1, CIFAR-10-C or an ImageNet variant by its
 * prepared path) gets that family, variant and scoring protocol; any other dataset has an
 * unknown family and is never in-distribution (an unknown folder is not a "standard" set).
 * `n` applies to generated datasets and is reported as having no effect elsewhere.
 */
export async function specTarget(specOrName: string, o: SpecTargetOptions): Promise<EvalTarget> {
  if (!specOrName.includes(':')) return preparedTarget(specOrName, o);
  const parsed = parseDatasetSpec(specOrName);
  let spec = specOrName;
  if (o.n !== undefined) {
    if (GENERATED_ADAPTERS.includes(parsed.adapter)) spec = sized(parsed, specOrName, o.n, o);
    else o.onWarning?.(`--n ${o.n} has no effect on ${specOrName}: only generated datasets (${GENERATED_ADAPTERS.join(', ')}) take a size`);
  }
  const match = matchVariant(parseDatasetSpec(spec));
  if (!match) return unknownTarget(spec);
  const target = await targetFor(match.family, match.variant, spec, o.where, o.open);
  // A plain variant keeps the dataset's own prompt choice (a shapes colour task has colour prompts).
  return match.variant.subset === null && match.variant.mapping === null ? { ...target, promptKey: undefined } : target;
}

/**
 * `spec` with `n` set to --n. A spec that already names another `?n=` is a conflict: on the
 * command line it is refused (exit 2, naming which to drop), since either could be the one the
 * user meant; in a suite file --n replaces it (running a suite at another size is what --n is
 * for there), and a warning says so.
 * @throws ZeroshiftError('USAGE') for `--dataset shapes:dark?n=50 --n 100`
 */
function sized(parsed: ReturnType<typeof parseDatasetSpec>, given: string, n: number, o: SpecTargetOptions): string {
  const own = parsed.options.n;
  if (own !== undefined && own !== String(n)) {
    if (o.where === '--dataset' || o.where === '--ood-dataset') {
      throw new ZeroshiftError('USAGE', `${o.where} ${given} asks for n=${own} but --n asks for ${n}`, {
        hint: `drop one: --n sets the size of every generated dataset, ?n= the size of this one (keep ?n=${own} and drop --n ${n}, or drop ?n=${own})`,
      });
    }
    o.onWarning?.(`--n ${n} replaces n=${own} of ${given} in ${o.where}`);
  }
  return formatDatasetSpec({ ...parsed, options: { ...parsed.options, n: String(n) } });
}

/** True when the spec's adapter generates its images (so `n` sizes it). */
export function isGeneratedSpec(spec: string): boolean {
  return GENERATED_ADAPTERS.includes(parseDatasetSpec(spec).adapter);
}

/** A dataset of no known family: its own class space, never in-distribution. */
export function unknownTarget(spec: string): EvalTarget {
  return { spec, family: null, variant: null, isStandard: false, subset: null, protocol: null, scoringProtocol: plainProtocol() };
}

/**
 * The dataset spec of a prepared dataset's name (`cifar10.1`, `shapes-dark`) under `dataDir`
 * (default: $ZEROSHIFT_DATA_DIR); an unknown name says which adapters and names exist.
 * `where` names where it was given (`--dataset`, `datasets show`).
 */
export function preparedSpec(name: string, dataDir: string | undefined, where: string): { family: FamilyDef; variant: VariantDef; spec: string } {
  const ids = listFamilies().flatMap((f) => f.variants.map((v) => v.id));
  if (!ids.includes(name)) {
    const near = closest(name, [...ids, ...shippedManifest().datasets.map((d) => d.id)]);
    throw new ZeroshiftError('USAGE', `${where}: '${name}' is neither a dataset spec (adapter:path) nor a prepared dataset name${near ? `; did you mean '${near}'?` : ''}`, {
      hint: "see 'zeroshift datasets' for adapters (e.g. folder:/data/pets) and the family variants (cifar10, cifar10.1, imagenet-r, shapes-dark, …)",
    });
  }
  const { family, variant } = findVariant(name);
  return { family, variant, spec: variant.specTemplate.replaceAll('{dataDir}', resolveDataDir(dataDir).replace(/\/+$/, '')) };
}

/**
 * The spec of a `zeroshift prepare` entry that is not a family variant (`sugarcrepe/swap_att`,
 * `wds/flickr30k`), or undefined for a name the manifest does not have. Not prepared (it or
 * data it reads) is exit 2 with the prepare command; an entry that only holds data other
 * entries read (`coco/val2017`) is not a dataset to evaluate.
 */
function manifestSpec(name: string, dataDir: string | undefined, where: string): string | undefined {
  const entry = shippedManifest().datasets.find((d) => d.id === name);
  if (!entry) return undefined;
  const users = shippedManifest().datasets.filter((d) => d.requires?.includes(name)).map((d) => d.id);
  if (users.length > 0) {
    throw new ZeroshiftError('USAGE', `${where}: '${name}' holds data that ${users.join(', ')} read, not a dataset to evaluate`, { hint: `evaluate one of them, e.g. ${where} ${users[0]}` });
  }
  const r = resolveDataset(name, resolveDataDir(dataDir).replace(/\/+$/, ''));
  if (!r.prepared) throw new ZeroshiftError('DATASET', `${where}: ${r.missingMessage}`);
  return r.spec;
}

async function preparedTarget(name: string, o: SpecTargetOptions): Promise<EvalTarget> {
  const isVariant = listFamilies().some((f) => f.variants.some((v) => v.id === name));
  const fromManifest = isVariant ? undefined : manifestSpec(name, o.dataDir, o.where);
  if (fromManifest !== undefined) return unknownTarget(fromManifest);
  const prepared = preparedSpec(name, o.dataDir, o.where);
  const { family, variant } = prepared;
  let spec = prepared.spec;
  if (o.n !== undefined) {
    const parsed = parseDatasetSpec(spec);
    // The template's own n is a default, not the user's: --n simply sets it.
    if (GENERATED_ADAPTERS.includes(parsed.adapter)) spec = formatDatasetSpec({ ...parsed, options: { ...parsed.options, n: String(o.n) } });
    else o.onWarning?.(`--n ${o.n} has no effect on ${name}: only generated datasets (${GENERATED_ADAPTERS.join(', ')}) take a size`);
  }
  return targetFor(family, variant, spec, o.where, o.open);
}

/** The family variant a spec points at: same adapter, same prepared path (or shapes world), same identifying options. */
export function matchVariant(spec: { adapter: string; arg: string; options: Record<string, string> }): { family: FamilyDef; variant: VariantDef } | null {
  const arg = spec.arg.replace(/\/+$/, '');
  for (const family of listFamilies()) {
    for (const variant of family.variants) {
      const t = parseDatasetSpec(variant.specTemplate);
      if (t.adapter !== spec.adapter) continue;
      const tail = t.arg.replace(/^\{dataDir\}\/?/, '');
      const samePath = t.arg.startsWith('{dataDir}') ? arg === tail || arg.endsWith(`/${tail}`) : arg === tail;
      if (!samePath) continue;
      const agree = IDENTIFYING_OPTIONS.every((k) => {
        if (!(k in t.options)) return true;
        // Which corruption and severity a CIFAR-10-C spec reads is the variant itself.
        if (k === 'corruption' || k === 'severity') return spec.options[k] === t.options[k];
        return !(k in spec.options) || spec.options[k] === t.options[k];
      });
      if (agree) return { family, variant };
    }
  }
  return null;
}

/**
 * The dataset as a unit of `target` names it: a known benchmark variant keeps its id
 * (`imagenet`, `cifar10.1`, `objectnet`), whatever folder it was read from (`--data-dir D`
 * reads ImageNet from D/imagenet/val, which the folder adapter alone would call `val`); any
 * other dataset keeps the adapter's name (a folder's name is only the fallback). Everything
 * else reads through to `dataset`.
 */
export function namedForTarget(dataset: Dataset, target: EvalTarget): Dataset {
  if (target.variant === null || target.variant === dataset.name) return dataset;
  return Object.create(dataset, { name: { value: target.variant, enumerable: true } }) as Dataset;
}
