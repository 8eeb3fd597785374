import { ZeroshiftError } from '../errors.js';
import { parseDatasetSpec, formatDatasetSpec } from '../datasets/spec.js';

/**
 * The train split that goes with a test spec when --train-dataset is not given: adapters
 * with splits (wds, mnist) get `split=train`; CIFAR binaries `split=train`; the shapes world
 * renders its train split from another seed (`seed=1` for the default seed 0: same world, new
 * scenes). Anything else must name its train data.
 */
export function trainSplitSpec(testSpec: string): string {
  const s = parseDatasetSpec(testSpec);
  if (s.adapter === 'shapes') {
    const seed = Number(s.options.seed ?? '0');
    return formatDatasetSpec({ ...s, options: { ...s.options, seed: String(seed + 1) } });
  }
  if (['wds', 'mnist', 'cifar'].includes(s.adapter)) return formatDatasetSpec({ ...s, options: { ...s.options, split: 'train' } });
  throw new ZeroshiftError('USAGE', `--task linear_probe: no train split is known for ${testSpec} (adapter '${s.adapter}'); name one with --train-dataset SPEC`);
}
