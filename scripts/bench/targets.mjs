/**
 * The performance targets of issue 30, read from a bench report: each with what was measured,
 * the bound, pass/fail (null when its case did not run) and the load average during its phases,
 * since on a shared machine a ratio is only as good as the quiet it was measured in.
 */

/** @param {any} report a bench-results.json object @returns {{ id: string, target: string, measured: number | null, pass: boolean | null, load: string, detail: string }[]} */
export function benchTargets(report) {
  const vit = report.results?.find((r) => r.config === 'vitb32-jpeg');
  const multi = report.process?.multiModel?.this;
  const loadOf = (...phases) => {
    const xs = phases.flatMap((p) => p?.loadAverage ?? []);
    return xs.length ? `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}` : '–';
  };
  const row = (id, target, measured, ok, load, detail) => ({ id, target, measured, pass: measured === null || measured === undefined ? null : ok(measured), load, detail });
  return [
    row('vitb32-stream', 'ViT-B/32-shaped stream ≥ 0.82 × same-run ORT ceiling', vit?.ratios.streamVsCeiling ?? null, (x) => x >= 0.82,
      vit ? loadOf(vit.ceiling.before, vit.zeroshiftCold, vit.ceiling.after, vit.ceiling.spinning) : '–',
      vit ? `${vit.zeroshiftCold.unitImagesPerSecond.toFixed(1)} vs ${vit.ceiling.imagesPerSecond.toFixed(1)} img/s${vit.zeroshiftColdSpinning ? `; with spinning pool threads ${vit.zeroshiftColdSpinning.unitImagesPerSecond.toFixed(1)} (${vit.ratios.spinningStreamVsCeiling.toFixed(2)})` : ''}` : '--configs vitb32-jpeg'),
    row('three-models', '3 models ≤ 1.6 × one model (whole process, tiny PNGs, cold)', multi?.ratio ?? null, (x) => x <= 1.6,
      multi ? `${multi.loadAverage.min.toFixed(1)}–${multi.loadAverage.max.toFixed(1)}` : '–',
      multi ? `${multi.threeModelsSeconds.toFixed(2)} vs ${multi.oneModelSeconds.toFixed(2)} s` : '--process multi-model'),
    row('tiny-vs-transformers', 'tiny whole process ≥ 1.0 × transformers.js (its seconds ÷ ours)', multi?.vsTransformersJs ?? null, (x) => x >= 1.0,
      multi ? `${multi.loadAverage.min.toFixed(1)}–${multi.loadAverage.max.toFixed(1)}` : '–',
      multi?.transformersJsSeconds ? `${multi.transformersJsSeconds.toFixed(2)} vs ${multi.oneModelSeconds.toFixed(2)} s` : '--process multi-model without --no-transformers'),
  ];
}

/** The targets as a markdown table with PASS / FAIL / not run. */
export function formatTargets(report) {
  const lines = ['| target | measured | status | load average | detail |', '|---|---|---|---|---|'];
  for (const t of benchTargets(report)) {
    lines.push(`| ${t.target} | ${t.measured === null ? '–' : t.measured.toFixed(2)} | ${t.pass === null ? 'not run' : t.pass ? 'PASS' : 'FAIL'} | ${t.load} | ${t.detail} |`);
  }
  return lines.join('\n');
}
