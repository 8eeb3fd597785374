import { Option, type Command } from 'commander';
import type { CommandRegistrar } from './index.js';
import { baselineIds } from '../../report/robustnessTable.js';
import { collect } from '../options.js';
import { AXIS_TRANSFORMS, type AxisTransform } from '../../report/effectiveRobustness.js';
import { ZeroshiftError } from '../../errors.js';
import { ensureWritableDir } from '../../util/writableDir.js';

interface ReportFlags {
  out: string;
  baseline: string;
  title?: string;
  reference?: string;
  fitExclude?: string[];
  recursive?: boolean;
  transform: string;
  bootstrap: string | number;
  seed: string | number;
  ceBaseline?: string;
}

const EXAMPLES = `
Examples:
  $ zeroshift report results
  $ zeroshift report results -o report/robust --fit-exclude tiny-clip-shapes-robust --reference tiny-clip-shapes
  $ zeroshift report results/compare-prompts -o report/prompts --title "Prompt sets"
  $ zeroshift report results -o report/testbed --baseline testbed
  $ zeroshift report results --baseline testbed --transform probit --bootstrap 2000 --seed 1
  $ zeroshift report results -o report/mce --ce-baseline tiny-clip-shapes

A directory is read without its subdirectories unless --recursive. The same result read twice
counts once; two different results of one model × dataset × shift × prompts (e.g. another n)
are refused. Effective robustness needs at least 3 baseline models of distinct ID accuracy;
every n/a is explained on stderr.`;

/** `zeroshift report RESULTS...`: charts, effective robustness, report.html / report.md / summary.csv. */
export const registerReport: CommandRegistrar = (program: Command, ctx) => {
  program
    .command('report')
    .description('Write report.html, report.md, summary.csv and charts from result files or directories')
    .argument('<results...>', 'result JSON files or directories of results')
    .option('-o, --out <dir>', 'output directory', 'report')
    .option('-r, --recursive', 'also read results in subdirectories of the given directories')
    .option('--baseline <id|file>', `effective-robustness baseline: ${baselineIds().join(', ')}, or a CSV with model,id,ood columns`, 'own')
    .option('--title <text>', 'report title')
    .option('--fit-exclude <model>', 'leave a model out of the own-models baseline fit (repeatable), e.g. the intervention under study', collect)
    .option('--reference <model>', 'model for relative robustness (shifted accuracy minus this model\'s)')
    .option('--transform <logit|probit>', 'axes on which the baseline line is straight (imagenet-testbed plots probit)', 'logit')
    .addOption(new Option('--bootstrap <n>', 'bootstrap replicates for the ER confidence intervals and the fit band (0: none)').default(1000))
    .addOption(new Option('--seed <n>', 'bootstrap seed (same seed, same intervals)').default(0))
    .option('--ce-baseline <model>', 'model whose corruption errors normalise CE and mCE outside ImageNet (ImageNet-C uses AlexNet\'s published errors); overrides a suite\'s ceBaseline')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: ReportFlags) => {
      // An unusable --out fails before any result is read or chart drawn (it failed after all the work).
      await ensureWritableDir(flags.out, '--out');
      // Loaded on demand: chart.js and the canvas binding would slow every other command's start.
      const [{ loadResults }, { writeReport }, { datasetThumbnails }, checks, { robustnessGroups }, { resolveCeBaseline }, { loadTaskResults, loadSuiteAverages }] = await Promise.all([
        import('../../report/loadResults.js'), import('../../report/writeReport.js'), import('../../report/datasetThumbnails.js'),
        import('../../report/checkInputs.js'), import('../../report/robustnessTable.js'), import('../../report/ceBaseline.js'),
        import('../../report/loadTaskResults.js'),
      ]);
      const transform = parseTransform(flags.transform);
      const replicates = parseCount('--bootstrap', flags.bootstrap);
      const seed = parseCount('--seed', flags.seed);
      // Task results first: a directory of retrieval, probe or multi-label results alone is a report too.
      const taskResults = await loadTaskResults(paths, { recursive: flags.recursive });
      const loaded = await loadResults(paths, { recursive: flags.recursive, allowNone: taskResults.length > 0 });
      if (flags.reference) checks.checkModelNames(loaded.results, '--reference', [flags.reference]);
      checks.checkModelNames(loaded.results, '--fit-exclude', flags.fitExclude ?? []);
      const ceBaseline = resolveCeBaseline([...loaded.results, ...taskResults], flags.ceBaseline);
      if (ceBaseline?.notice) ctx.log.warn(ceBaseline.notice);
      else if (ceBaseline && ceBaseline.source !== '--ce-baseline') ctx.log.info(`CE baseline ${ceBaseline.model}, named by ${ceBaseline.source}`);
      for (const n of loaded.notices) ctx.log.warn(n);
      for (const f of loaded.missingPredictions) ctx.log.warn(`${f}: predictions file unreadable; no failure gallery for it`);
      // Only for the notices: no bootstrap here (writeReport draws it).
      const groups = robustnessGroups(loaded.results, flags.baseline, flags.reference, flags.fitExclude, { transform, replicates: 0, seed });
      for (const n of checks.robustnessNotices(groups, flags.baseline, flags.reference)) ctx.log.warn(n);
      const written = await writeReport(loaded.results, {
        outDir: flags.out,
        baseline: flags.baseline,
        title: flags.title,
        reference: flags.reference,
        excludeFromFit: flags.fitExclude,
        transform,
        replicates,
        seed,
        ceBaseline: ceBaseline?.model ?? undefined,
        predictions: loaded.predictions,
        thumbnails: datasetThumbnails(),
        taskResults,
        suiteAverages: await loadSuiteAverages(paths),
      });
      ctx.log.info(`report: ${loaded.results.length} classification result(s)${taskResults.length ? `, ${taskResults.length} task result(s) (${[...new Set(taskResults.map((t) => t.task))].join(', ')})` : ''}, ${written.charts.length / 2} charts, ${written.heatmaps.length / 2} heatmap image(s)`);
      ctx.out(`${written.html}\n${written.md}\n${written.csv}\n`);
    });
};

function parseTransform(v: string): AxisTransform {
  if ((AXIS_TRANSFORMS as readonly string[]).includes(v)) return v as AxisTransform;
  throw new ZeroshiftError('USAGE', `--transform '${v}' is not valid; choose one of: ${AXIS_TRANSFORMS.join(', ')}`);
}

function parseCount(flag: string, v: string | number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ZeroshiftError('USAGE', `${flag} '${v}' must be a whole number ≥ 0`);
  return n;
}
