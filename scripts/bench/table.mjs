/** Markdown table of a bench report (also pasted into docs/performance.md). */

const f1 = (v) => (v === null || v === undefined ? '–' : v.toFixed(1));
const f2 = (v) => (v === null || v === undefined ? '–' : v.toFixed(2));
const mb = (v) => (v === null || v === undefined ? '–' : String(Math.round(v)));

/** One row per config: rates in images/s, ratios, peak RSS in MB. */
export function formatTable(report) {
  const head = [
    `${report.cores} × ${report.cpu}, node ${report.node}, ORT threads ${report.threads}, load ${f1(report.loadAverage.before)}→${f1(report.loadAverage.after)}`,
    '',
    '| config | images | ORT ceiling img/s (spinning) | zeroshift stream img/s (× ceiling) | stream with spinning (× ceiling) | zeroshift wall img/s | transformers.js img/s | zeroshift ÷ transformers.js | warm-cache speed-up stream (wall) | peak RSS MB ceiling / cold / warm / tfjs |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const rows = report.results.map((r) => {
    const z = r.zeroshiftCold;
    const t = r.transformersJs;
    const zs = r.zeroshiftColdSpinning;
    return `| ${r.config} | ${r.images} | ${f1(r.ceiling.imagesPerSecond)} (${f1(r.ceiling.spinning?.imagesPerSecond)}) | ${f1(z.unitImagesPerSecond)} (${f2(r.ratios.streamVsCeiling)}) | ${f1(zs?.unitImagesPerSecond)} (${f2(r.ratios.spinningStreamVsCeiling)}) | ${f1(z.imagesPerSecond)} | ${f1(t?.imagesPerSecond)} | ${f2(r.ratios.vsTransformersJs)} | ${f1(r.ratios.warmSpeedupStream)} (${f1(r.ratios.warmSpeedupWall)}) | ${mb(r.ceiling.before.peakRssMB)} / ${mb(z.peakRssMB)} / ${mb(r.zeroshiftWarm.peakRssMB)} / ${mb(t?.peakRssMB)} |`;
  });
  return [...head, ...rows].join('\n');
}

/** The whole-process cases (processBench.mjs): medians in seconds, this checkout and the baseline's. */
export function formatProcess(report) {
  const p = report.process;
  const names = report.baseline ? ['this', 'baseline'] : ['this'];
  const lines = [`load average ${report.loadAverage.samples.map((x) => x.toFixed(1)).join(' → ')}${report.baseline ? `; baseline ${report.baseline}` : ''}`, '', `| case | ${names.join(' | ')} |`, `|---|${names.map(() => '---').join('|')}|`];
  if (p.multiModel) {
    lines.push(`| 1 model, ${p.multiModel.images} PNGs, cold (s) | ${names.map((n) => f2(p.multiModel[n].oneModelSeconds)).join(' | ')} |`);
    lines.push(`| 3 models, same PNGs, cold (s) | ${names.map((n) => f2(p.multiModel[n].threeModelsSeconds)).join(' | ')} |`);
    lines.push(`| 3 models ÷ 1 model (median of ratios; target ≤ 1.6) | ${names.map((n) => f2(p.multiModel[n].ratio)).join(' | ')} |`);
    if (p.multiModel.this.transformersJsSeconds) lines.push(`| transformers.js, 1 model, same PNGs (s) | ${names.map((n) => f2(p.multiModel[n].transformersJsSeconds)).join(' | ')} |`);
    lines.push(`| CPU s 1 / 3 models / transformers.js | ${names.map((n) => `${f2(p.multiModel[n].cpuSeconds.one)} / ${f2(p.multiModel[n].cpuSeconds.three)} / ${f2(p.multiModel[n].cpuSeconds.transformersJs)}`).join(' | ')} |`);
    lines.push(`| peak RSS MB 1 / 3 models | ${names.map((n) => `${mb(p.multiModel[n].peakRssMB.one)} / ${mb(p.multiModel[n].peakRssMB.three)}`).join(' | ')} |`);
  }
  if (p.defaultSuite) lines.push(`| default suite cold (n = ${p.defaultSuite.n}), whole process (s) | ${names.map((n) => f1(p.defaultSuite[n].seconds)).join(' | ')} |`);
  if (p.startup) {
    for (const k of ['version', 'help', 'evalHelp', 'oneBatchEval']) lines.push(`| \`${{ version: '--version', help: '--help', evalHelp: 'eval --help', oneBatchEval: 'eval, one batch of 64' }[k]}\` (s) | ${names.map((n) => f2(p.startup[n][k])).join(' | ')} |`);
  }
  if (report.baseline) {
    if (p.defaultSuite) lines.push('', `default suite: baseline ÷ this = ${f2(p.defaultSuite.baseline.seconds / p.defaultSuite.this.seconds)}× faster (target ≥ 1.5)`);
    if (p.startup) lines.push(`start-up: --version ${f2(p.startup.baseline.version / p.startup.this.version)}× faster, one-batch eval ${f2(p.startup.baseline.oneBatchEval / p.startup.this.oneBatchEval)}×`);
  }
  return lines.join('\n');
}
