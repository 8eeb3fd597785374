import { basename } from 'node:path';
import { families, variantSpec, variantProtocol, type FamilyDef, type VariantDef } from '../datasets/families.js';
import { parseDatasetSpec, formatDatasetSpec } from '../datasets/spec.js';
import { openDataset } from '../datasets/registry.js';
import type { Dataset } from '../datasets/types.js';
import { getPromptSet } from '../prompts/registry.js';
import { displayName } from '../prompts/index.js';
import { resolveDataDir } from '../util/dataDir.js';
import { shellCommand } from '../util/shellQuote.js';
import { shippedManifest } from '../prepare/manifest.js';
import { ZeroshiftError, isZeroshiftError } from '../errors.js';
import type { EvalTarget } from '../tasks/unit.js';

/**
 * Expands a family entry of a suite into evaluation targets: one per variant (all when
 * `variants` is omitted), with the suite's spec options applied, data resolved under the data
 * directory, and the variant's scoring (class subset columns, many-to-one label mapping).
 * Datasets are opened here (through `open`, the plan's resources) so that missing data fails
 * before any work starts.
 */
export async function familyTargets(
  familyId: string,
  variantIds: string[] | undefined,
  options: Record<string, string | number>,
  dataDirFlag: string | undefined,
  suiteFile: string,
  open: (spec: string) => Promise<Dataset> = openDataset,
): Promise<EvalTarget[]> {
  const family = families.get(familyId);
  const variants = variantIds ? variantIds.map((id) => pickVariant(family, id, suiteFile)) : family.variants;
  const dataDir = resolveDataDir(dataDirFlag);
  const out: EvalTarget[] = [];
  for (const variant of variants) out.push(await targetFor(family, variant, withOptions(variantSpec(variant, dataDir), options), suiteFile, open));
  return out;
}

function pickVariant(family: FamilyDef, id: string, suiteFile: string): VariantDef {
  // Suites may name a variant by its short name (`dark`) or its full id (`shapes-dark`).
  const v = family.variants.find((x) => x.id === id || x.id === `${family.id}-${id}`);
  if (!v) {
    throw new ZeroshiftError('CONFIG', `${suiteFile}: family '${family.id}' has no variant '${id}'; valid: ${family.variants.map((x) => x.id).filter((x) => !/-[2-5]$/.test(x)).join(', ')}`);
  }
  return v;
}

/** Applies suite options (e.g. shapes `n`) to a spec's query. */
function withOptions(spec: string, options: Record<string, string | number>): string {
  if (Object.keys(options).length === 0) return spec;
  const parsed = parseDatasetSpec(spec);
  return formatDatasetSpec({ ...parsed, options: { ...parsed.options, ...Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])) } });
}

/**
 * The target of one family variant at `spec` (opened with `open`, by default a fresh open, to
 * check it and derive its scoring); `suiteFile` names where it was asked for in errors.
 */
export async function targetFor(family: FamilyDef, variant: VariantDef, spec: string, suiteFile: string, open: (spec: string) => Promise<Dataset> = openDataset): Promise<EvalTarget> {
  let classNames: string[];
  try {
    classNames = (await open(spec)).classNames;
  } catch (e) {
    // A bad option (USAGE) is the suite's mistake, not missing data: no "prepare" hint for it.
    if (isZeroshiftError(e) && e.code === 'USAGE') {
      throw new ZeroshiftError('CONFIG', `${suiteFile}: ${variant.id}: ${e.message}`, { hint: "fix the family entry's options in the suite", cause: e });
    }
    if (isZeroshiftError(e) && e.code !== 'INTERNAL') {
      throw new ZeroshiftError('DATASET', `${suiteFile}: ${variant.id}: ${e.message}`, {
        hint: prepareHint(variant, spec, suiteFile),
        cause: e,
      });
    }
    throw e;
  }
  const needsSpace = variant.subset !== null || variant.mapping !== null;
  return {
    spec, family: family.id, variant: variant.id, isStandard: variant.isStandard,
    subset: variant.subset ?? (variant.mapping ? `${variant.mapping}-mapped` : null), protocol: variant.protocol,
    scoringProtocol: variantProtocol(variant, classNames),
    classSpace: needsSpace ? (getPromptSet(variant.promptKey).classNames ?? []).map(displayName) : undefined,
    promptKey: variant.promptKey,
  };
}

/**
 * What to run to get a variant's data where this spec reads it: `zeroshift prepare` of the one
 * manifest entry laid out at the variant's folder (`--dataset cifar10.1`: `prepare cifar10.1`,
 * 6 MB, not the 3 GB cifar10-robustness), or of the shipped suite being run when the manifest
 * has a suite of that name holding the entry; with `--data-dir` when the spec's data dir is not
 * the default one (prepared anywhere else, the data would land where eval does not look).
 * `where` is the suite file, or the flag the dataset came from.
 */
export function prepareHint(variant: VariantDef, spec: string, where: string): string {
  const template = parseDatasetSpec(variant.specTemplate).arg;
  const arg = parseDatasetSpec(spec).arg.replace(/\/+$/, '');
  const tail = template.replace(/^\{dataDir\}\/?/, '');
  if (template === tail || !arg.endsWith(tail)) return 'check the path, or pass --data-dir';
  const dataDir = arg.slice(0, arg.length - tail.length).replace(/\/+$/, '');
  const layoutDir = tail.split('/')[0];
  const entry = shippedManifest().datasets.find((d) => d.layoutDir === layoutDir);
  const dirFlag = dataDir === resolveDataDir().replace(/\/+$/, '') ? [] : ['--data-dir', dataDir];
  if (!entry) return `put ${variant.id} at ${dataDir}/${tail} (see docs/datasets.md), or pass --data-dir where it is`;
  const manifest = shippedManifest();
  const suite = basename(where, '.json');
  const id = where.endsWith('.json') && Object.hasOwn(manifest.suites, suite) && manifest.suites[suite].includes(entry.id) ? suite : entry.id;
  return `prepare the data first: ${shellCommand(['zeroshift', 'prepare', id, ...dirFlag])}${dirFlag.length ? '' : ' (or pass --data-dir where it is)'}`;
}
