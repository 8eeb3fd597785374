import type { Chart, Plugin } from 'chart.js';

/**
 * Per-point 95 % interval, stored on the dataset as `errorBars[i] = [low, high]` in the same
 * units as the data (or null). Drawn after the datasets as a whisker with caps.
 */
export interface ErrorBarDataset {
  errorBars?: ([number, number] | null)[];
}

const CAP_HALF_WIDTH = 4;

/** Chart.js plugin drawing `errorBars` for bar and line datasets along the value axis. */
export const errorBarsPlugin: Plugin = {
  id: 'zeroshiftErrorBars',
  afterDatasetsDraw(chart: Chart) {
    const ctx = chart.ctx;
    const horizontal = (chart.options as { indexAxis?: string }).indexAxis === 'y';
    chart.data.datasets.forEach((ds, di) => {
      const bars = (ds as ErrorBarDataset).errorBars;
      const meta = chart.getDatasetMeta(di);
      if (!bars || meta.hidden) return;
      const valueScale = horizontal ? chart.scales[meta.xAxisID ?? 'x'] : chart.scales[meta.yAxisID ?? 'y'];
      if (!valueScale) return;
      ctx.save();
      ctx.strokeStyle = '#222222';
      ctx.lineWidth = 1.2;
      meta.data.forEach((el, i) => {
        const ci = bars[i];
        if (!ci) return;
        const lo = valueScale.getPixelForValue(ci[0]);
        const hi = valueScale.getPixelForValue(ci[1]);
        const at = horizontal ? el.y : el.x;
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(lo, at); ctx.lineTo(hi, at);
          ctx.moveTo(lo, at - CAP_HALF_WIDTH); ctx.lineTo(lo, at + CAP_HALF_WIDTH);
          ctx.moveTo(hi, at - CAP_HALF_WIDTH); ctx.lineTo(hi, at + CAP_HALF_WIDTH);
        } else {
          ctx.moveTo(at, lo); ctx.lineTo(at, hi);
          ctx.moveTo(at - CAP_HALF_WIDTH, lo); ctx.lineTo(at + CAP_HALF_WIDTH, lo);
          ctx.moveTo(at - CAP_HALF_WIDTH, hi); ctx.lineTo(at + CAP_HALF_WIDTH, hi);
        }
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};
