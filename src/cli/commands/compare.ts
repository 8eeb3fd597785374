import type { Command } from 'commander';
import type { CommandRegistrar } from './index.js';
import type { CliContext } from '../context.js';
import { positiveInt } from '../options.js';
import { ZeroshiftError } from '../../errors.js';

interface CompareFlags {
  a?: string;
  b?: string;
  aPrompts?: string;
  bPrompts?: string;
  out: string;
  flips: number;
  topClasses: number;
  thumbnails: boolean;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  $ zeroshift eval --dataset shapes:standard?n=100 --shift fog:3 --shift pixelate:4 --out results/dtypes
  $ zeroshift eval --dataset shapes:standard?n=100 --shift fog:3 --shift pixelate:4 --dtype q8 --out results/dtypes
  $ zeroshift compare results/dtypes --a tiny-clip-shapes:fp32 --b tiny-clip-shapes:q8 -o compare/q8
  $ zeroshift eval --dataset shapes:dark?n=64 -m tiny-clip-shapes --out results/base
  $ zeroshift eval --dataset shapes:dark?n=64 -m tiny-clip-shapes-robust --out results/robust
  $ zeroshift compare results/base results/robust -o compare/robust --flips 4 --top-classes 3
  $ zeroshift eval --dataset shapes:sketch?n=64 --prompts shapes-shape --prompts shapes-photo --out results/prompts
  $ zeroshift compare results/prompts --a-prompts shapes-shape --b-prompts shapes-photo -o compare/prompts

With your own runs:
  zeroshift compare results/checkpoint-1 results/checkpoint-2
  zeroshift compare results --a ./clip:fp32 --b ./clip:q8 --json > fp32-vs-q8.json

A and B are result directories (their own *.json results, not subdirectories) or result files;
with one directory, --a and --b pick the two sides by MODEL, MODEL:DTYPE, MODEL:DTYPE:PROVIDER
(cpu or cuda) or :DTYPE, and/or --a-prompts and --b-prompts by prompt set. Results are paired by dataset × shift × prompt set (by
dataset × shift when prompt sets are what is compared). A pair must share the dataset fingerprint, class names,
scoring protocol and items, else the command stops (exit 2) naming both files and the field;
units only one side has are listed and left out. Per unit: top-1 of A and B, B − A in points with
Newcombe's paired 95 % score interval, McNemar's exact p, the flipped items and the classes that
moved most. Writes compare.json, compare.html (up to 4 flipped items per direction and unit, with
thumbnails), compare.md and compare-flips.jsonl (every flipped item, one JSON object a line).`;

/** `zeroshift compare A [B]`: paired comparison of two result sets, item by item. */
export const registerCompare: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('compare')
    .description('paired comparison of two result sets (models, checkpoints, dtypes): accuracy difference with CI, McNemar p, flipped items, classes that moved')
    .argument('<a>', 'results of side A: a directory or result file')
    .argument('[b]', 'results of side B (omit to pick both sides from A with --a and --b)')
    .option('--a <model[:dtype][:provider]>', 'the results of side A: a model name, MODEL:DTYPE, MODEL:DTYPE:PROVIDER, :DTYPE or :PROVIDER (e.g. tiny-clip-shapes:fp32, tiny-clip-shapes:fp32:cuda)')
    .option('--b <model[:dtype][:provider]>', 'the results of side B, as --a (e.g. tiny-clip-shapes:q8, :cpu)')
    .option('--a-prompts <set>', 'the prompt set of side A (compare two prompt sets on every dataset and shift)')
    .option('--b-prompts <set>', 'the prompt set of side B')
    .option('-o, --out <dir>', 'output directory for compare.json, compare.html, compare.md and compare-flips.jsonl', 'compare')
    .option('--flips <n>', 'flipped items listed per direction and unit in compare.json and compare.md (compare.html shows up to 4; the counts are always complete)', positiveInt('--flips'), 12)
    .option('--top-classes <n>', 'classes listed per unit, largest accuracy change first', positiveInt('--top-classes'), 5)
    .option('--no-thumbnails', 'do not open the datasets for thumbnails of the flipped items')
    .option('--json', 'print compare.json on stdout instead of the table')
    .addHelpText('after', EXAMPLES)
    .action(async (a: string, b: string | undefined, flags: CompareFlags) => runCompare(a, b, flags, ctx));
};

async function runCompare(pathA: string, pathB: string | undefined, flags: CompareFlags, ctx: CliContext): Promise<void> {
  // Loaded on demand: the thumbnails pull in the dataset and image layers.
  const [{ compareResults }, { writeCompare, COMPARE_THUMBNAILS }, { parseSelector, withPrompts }, { compareTable }, { datasetThumbnails }, { unitLabel }] = await Promise.all([
    import('../../compare/compareResults.js'), import('../../compare/writeCompare.js'), import('../../compare/selector.js'),
    import('../../compare/renderText.js'), import('../../report/datasetThumbnails.js'), import('../../compare/pairUp.js'),
  ]);
  if (pathB === undefined && ((flags.a ?? flags.aPrompts) === undefined || (flags.b ?? flags.bPrompts) === undefined)) {
    throw new ZeroshiftError('USAGE', `compare ${pathA}: with one results directory, --a and --b (or --a-prompts and --b-prompts) pick the two sides`, {
      hint: `e.g. zeroshift compare ${pathA} --a MODEL:fp32 --b MODEL:q8, or --a-prompts SET1 --b-prompts SET2, or give two directories`,
    });
  }
  const selA = withPrompts(flags.a === undefined ? null : parseSelector(flags.a, '--a'), flags.aPrompts);
  const selB = withPrompts(flags.b === undefined ? null : parseSelector(flags.b, '--b'), flags.bPrompts);
  const { report, flips } = await compareResults(
    { paths: [pathA], selector: selA, flag: '--a' },
    { paths: [pathB ?? pathA], selector: selB, flag: '--b' },
    { flips: flags.flips, topClasses: flags.topClasses, command: ctx.argv },
  );
  const written = await writeCompare(report, flips, flags.out, flags.thumbnails ? datasetThumbnails(COMPARE_THUMBNAILS) : undefined);
  if (report.units.every((u) => u.resultIds.a === u.resultIds.b)) ctx.log.warn('A and B are the same results (same result ids in every unit): nothing differs; pick two models, dtypes or prompt sets with --a/--b');
  for (const u of report.unpaired) ctx.log.warn(`not compared: ${unitLabel(u.key)} is only in ${u.side.toUpperCase()} (${u.file})`);
  if (flags.json) ctx.out(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.out(`${compareTable(report)}\n`);
  ctx.log.info(`compared ${report.units.length} unit(s): ${written.json}, ${written.html}, ${written.md}, ${written.flips}`);
}
