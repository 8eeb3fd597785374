import { families, variantSpec } from '../datasets/families.js';
import { formatDatasetSpec, parseDatasetSpec } from '../datasets/spec.js';
import { isZeroshiftError } from '../errors.js';
import { isGeneratedSpec, specTarget } from '../eval/specTargets.js';
import { resolveDataDir } from '../util/dataDir.js';

/** A dataset the probe is scored on, with its place in a family (recorded in the result). */
export interface ProbeTarget {
  spec: string;
  family: string | null;
  variant: string | null;
  isStandard: boolean;
}

/**
 * The probe's evaluation datasets. Each --dataset is resolved as eval resolves it (a family
 * variant gets its family and variant). A single --dataset that is a family's standard variant
 * brings the family's shifted variants along, as the CLIP paper scores a probe trained on
 * ImageNet on its shifts: every variant whose data can be opened and whose classes are the
 * standard's (class-subset and many-to-one variants such as ImageNet-R and ObjectNet need the
 * classifier's columns restricted, which the probe does not do; they are listed in `notes`).
 * A generated family (shapes) keeps the given spec's options (n, seed).
 */
export async function probeTargets(specs: readonly string[], dataDir: string | undefined): Promise<{ targets: ProbeTarget[]; notes: string[] }> {
  const targets: ProbeTarget[] = [];
  for (const spec of specs) {
    const t = await specTarget(spec, { dataDir, where: '--dataset' });
    targets.push({ spec: t.spec, family: t.family, variant: t.variant, isStandard: t.isStandard });
  }
  const notes: string[] = [];
  const first = targets[0];
  if (specs.length !== 1 || !first.isStandard || first.family === null) return { targets, notes };
  const family = families.get(first.family);
  const carried = isGeneratedSpec(first.spec) ? parseDatasetSpec(first.spec).options : {};
  for (const v of family.variants) {
    if (v.id === first.variant) continue;
    if (v.subset !== null || v.mapping !== null) {
      notes.push(`${v.id}: not scored (its classes are a subset or a mapping of ${family.id}'s; the probe scores only datasets of its own label space)`);
      continue;
    }
    const base = parseDatasetSpec(variantSpec(v, resolveDataDir(dataDir)));
    const spec = formatDatasetSpec({ ...base, options: { ...base.options, ...carried } });
    try {
      const t = await specTarget(spec, { dataDir, where: `family ${family.id}` });
      targets.push({ spec: t.spec, family: family.id, variant: v.id, isStandard: false });
    } catch (e) {
      if (!isZeroshiftError(e)) throw e;
      notes.push(`${v.id}: not scored (${e.message.split('\n')[0]})`);
    }
  }
  return { targets, notes };
}
