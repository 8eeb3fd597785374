import type { Command } from 'commander';
import type { CommandRegistrar } from './index.js';
import { baselineIds } from '../../report/robustnessTable.js';

interface ReportFlags {
  out: string;
  baseline: string;
  title?: string;
  reference?: string;
  fitExclude?: string[];
}

/** `zeroshift report RESULTS...`: charts, effective robustness, report.html / report.md / summary.csv. */
export const registerReport: CommandRegistrar = (program: Command, ctx) => {
  program
    .command('report')
    .description('Write report.html, report.md, summary.csv and charts from result files or directories')
    .argument('<results...>', 'result JSON files or directories searched recursively for zeroshift results')
    .option('--out <dir>', 'output directory', 'report')
    .option('--baseline <id|file>', `effective-robustness baseline: ${baselineIds().join(', ')}, or a CSV with model,id,ood columns`, 'own')
    .option('--title <text>', 'report title')
    .option('--fit-exclude <model>', 'leave a model out of the own-models baseline fit (repeatable), e.g. the intervention under study', (v: string, prev: string[] = []) => [...prev, v])
    .option('--reference <model>', 'model for relative robustness (shifted accuracy minus this model\'s)')
    .action(async (paths: string[], flags: ReportFlags) => {
      // Loaded on demand: chart.js and the canvas binding would slow every other command's start.
      const [{ loadResults }, { writeReport }, { datasetThumbnails }] = await Promise.all([
        import('../../report/loadResults.js'), import('../../report/writeReport.js'), import('../../report/datasetThumbnails.js'),
      ]);
      const loaded = await loadResults(paths);
      for (const f of loaded.missingPredictions) ctx.log.warn(`${f}: predictions file unreadable; no failure gallery for it`);
      const written = await writeReport(loaded.results, {
        outDir: flags.out,
        baseline: flags.baseline,
        title: flags.title,
        reference: flags.reference,
        excludeFromFit: flags.fitExclude,
        predictions: loaded.predictions,
        thumbnails: datasetThumbnails(),
      });
      ctx.log.info(`report: ${loaded.results.length} results, ${written.charts.length / 2} charts`);
      ctx.out(`${written.html}\n${written.md}\n${written.csv}\n`);
    });
};
