/** Markdown table of a bench report (also pasted into docs/performance.md). */

const f1 = (v) => (v === null || v === undefined ? '–' : v.toFixed(1));
const f2 = (v) => (v === null || v === undefined ? '–' : v.toFixed(2));
const mb = (v) => (v === null || v === undefined ? '–' : String(Math.round(v)));

/** One row per config: rates in images/s, ratios, peak RSS in MB. */
export function formatTable(report) {
  const head = [
    `${report.cores} × ${report.cpu}, node ${report.node}, ORT threads ${report.threads}, load ${f1(report.loadAverage.before)}→${f1(report.loadAverage.after)}`,
    '',
    '| config | images | ORT ceiling img/s | zeroshift stream img/s (× ceiling) | zeroshift wall img/s | transformers.js img/s | zeroshift ÷ transformers.js | warm-cache speed-up stream (wall) | peak RSS MB ceiling / cold / warm / tfjs |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const rows = report.results.map((r) => {
    const z = r.zeroshiftCold;
    const t = r.transformersJs;
    return `| ${r.config} | ${r.images} | ${f1(r.ceiling.imagesPerSecond)} | ${f1(z.unitImagesPerSecond)} (${f2(r.ratios.streamVsCeiling)}) | ${f1(z.imagesPerSecond)} | ${f1(t?.imagesPerSecond)} | ${f2(r.ratios.vsTransformersJs)} | ${f1(r.ratios.warmSpeedupStream)} (${f1(r.ratios.warmSpeedupWall)}) | ${mb(r.ceiling.before.peakRssMB)} / ${mb(z.peakRssMB)} / ${mb(r.zeroshiftWarm.peakRssMB)} / ${mb(t?.peakRssMB)} |`;
  });
  return [...head, ...rows].join('\n');
}
