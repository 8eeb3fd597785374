import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { CommandRegistrar } from './index.js';
import { ZeroshiftError, isZeroshiftError } from '../../errors.js';
import type { Dataset, Sample, SkippedItem } from '../../datasets/types.js';

const SHOWN_CLASSES = 20;

/** Corruption ids at call time; the shifts registry may be absent or broken while others work on it. */
async function corruptionIds(): Promise<string[] | null> {
  try {
    const shifts = (await import('../../shifts/registry.js')) as { listCorruptions?: () => { id: string }[] };
    return shifts.listCorruptions ? shifts.listCorruptions().map((c) => c.id) : null;
  } catch {
    return null;
  }
}

async function listAll(ctx: CliContext): Promise<void> {
  // Loaded on use, not at start-up (the readers load sharp, tar, papaparse): see docs/performance.md.
  const [{ listAdapters }, { listFamilies }] = await Promise.all([import('../../datasets/registry.js'), import('../../datasets/families.js')]);
  const lines = ['Adapters (spec adapter:arg?key=value):'];
  for (const a of listAdapters()) {
    lines.push(`  ${a.id.padEnd(8)} ${a.summary}`, `           e.g. ${a.example}`);
    const opts = Object.entries(a.options);
    if (opts.length) lines.push(`           options: ${opts.map(([k]) => k).join(', ')}`);
  }
  lines.push('', 'Families (variant specs relative to --data-dir):');
  for (const f of listFamilies()) {
    lines.push(`  ${f.id}: ${f.summary}`);
    const shown = f.variants.filter((v) => !/-c-.*-[2-5]$/.test(v.id));
    for (const v of shown) lines.push(`    ${v.isStandard ? '*' : ' '} ${v.id.padEnd(18)} ${v.specTemplate}`);
    if (shown.length < f.variants.length) lines.push(`      (+${f.variants.length - shown.length} more: severities 2..5 of each <set>-c-<corruption>-1 above)`);
    if (f.syntheticCorruptions) lines.push('      + every synthetic corruption below at severities 1..5');
  }
  const corruptions = await corruptionIds();
  lines.push('', `Corruptions: ${corruptions && corruptions.length ? corruptions.join(', ') : '(none registered)'}`);
  ctx.out(`${lines.join('\n')}\n`);
}

function describeSource(s: Sample): string {
  switch (s.image.kind) {
    case 'path':
      return s.image.path;
    case 'bytes':
      return `${s.image.name} (${s.image.bytes.length} bytes)`;
    case 'raw':
      return `raw ${s.image.image.width}x${s.image.image.height} RGB`;
    case 'generated':
      return `generated (${s.image.key})`;
  }
}

async function show(ctx: CliContext, specOrName: string, count: number, dataDir: string | undefined): Promise<void> {
  const [{ openDataset }, { preparedSpec }, { prepareHint }] = await Promise.all([import('../../datasets/registry.js'), import('../../eval/specTargets.js'), import('../../eval/familyTargets.js')]);
  // A prepared dataset's name (`cifar10.1`, `shapes-dark`) resolves exactly as `eval --dataset` resolves it.
  const prepared = specOrName.includes(':') ? null : preparedSpec(specOrName, dataDir, 'datasets show');
  const spec = prepared?.spec ?? specOrName;
  let ds: Dataset;
  try {
    ds = await openDataset(spec);
  } catch (e) {
    if (!prepared || !isZeroshiftError(e) || e.code === 'USAGE' || e.code === 'INTERNAL') throw e;
    throw new ZeroshiftError('DATASET', `${specOrName}: ${e.message}`, { hint: prepareHint(prepared.variant, spec, 'datasets show'), cause: e });
  }
  const names = ds.classNames;
  const lines = [
    `spec:        ${ds.spec}`,
    `adapter:     ${ds.adapter}`,
    `name:        ${ds.name}`,
    `size:        ${ds.size ?? 'unknown (not countable without reading)'}`,
    `fingerprint: ${ds.fingerprint}`,
    `classes:     ${names.length}: ${names.slice(0, SHOWN_CLASSES).join(', ')}${names.length > SHOWN_CLASSES ? `, ... (+${names.length - SHOWN_CLASSES})` : ''}`,
    `templates:   ${ds.templates ? `${ds.templates.length}: ${ds.templates.slice(0, 3).join(' | ')}${ds.templates.length > 3 ? ' | ...' : ''}` : '(none in the dataset)'}`,
  ];
  for (const w of ds.warnings ?? []) ctx.log.warn(w);
  const skipped: SkippedItem[] = [];
  const samples: Sample[] = [];
  if (count > 0) {
    for await (const s of ds.samples({ onSkip: (i) => skipped.push(i) })) {
      samples.push(s);
      if (samples.length >= count) break;
    }
  }
  if (samples.length) lines.push('samples:');
  for (const s of samples) lines.push(`  ${s.id}  label ${s.label} (${names[s.label] ?? '?'})  ${describeSource(s)}`);
  for (const k of skipped) lines.push(`  skipped ${k.id}: ${k.reason}`);
  ctx.out(`${lines.join('\n')}\n`);
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new ZeroshiftError('USAGE', `--samples ${value}: expected a non-negative integer`);
  return n;
}

/** `zeroshift datasets` (list adapters, families, corruptions) and `zeroshift datasets show SPEC`. */
export const registerDatasets: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const cmd = program
    .command('datasets')
    .description('list dataset adapters, dataset families and corruptions; `datasets show SPEC` inspects one dataset')
    .addHelpText('after', `
Examples:
  $ zeroshift datasets
  $ zeroshift datasets show shapes:dark?n=20 --samples 3

With prepared data:
  zeroshift datasets show cifar10.1              # a prepared dataset by name (after zeroshift prepare)`)
    .action(() => listAll(ctx));
  cmd
    .command('show')
    .description('open a dataset spec and print its size, classes, templates and a few samples')
    .argument('<spec>', 'dataset spec or prepared name, e.g. folder:/data/pets, wds:/data/cifar10?split=test, shapes-dark or cifar10.1')
    .option('--samples <n>', 'number of samples to print', parseCount, 5)
    .option('--data-dir <dir>', 'where `zeroshift prepare` put the datasets named by name (default: $ZEROSHIFT_DATA_DIR)')
    .addHelpText('after', `
Examples:
  $ zeroshift datasets show shapes:sketch?n=50
  $ zeroshift datasets show shapes:standard?task=color_shape --samples 2
  $ zeroshift datasets show shapes-dark                # a name, as eval --dataset takes it

With your data:
  zeroshift datasets show folder:/data/pets --samples 10
  zeroshift datasets show cifar10.1 --data-dir ~/data   # a prepared dataset by name`)
    .action((spec: string, opts: { samples: number; dataDir?: string }) => show(ctx, spec, opts.samples, opts.dataDir));
};
