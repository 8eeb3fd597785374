import type { Scale } from 'chart.js';
import { fromAxis, toAxis, type AxisTransform } from '../effectiveRobustness.js';

/** Percent ticks a reader expects on a logit or probit axis (dense near 0 and 100 %, where both stretch). */
const NICE_PERCENTS = [0.1, 0.5, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9];

/** Axis range in transformed units covering `values` with a margin. */
export function logitRange(values: readonly number[]): { min: number; max: number } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(0.25, (hi - lo) * 0.08);
  return { min: lo - pad, max: hi + pad };
}

/** Formats a transformed value as the accuracy it stands for, e.g. `37.5 %`. */
export function percentLabel(z: number, transform: AxisTransform = 'logit'): string {
  const p = fromAxis(z, transform) * 100;
  // Ticks sit on NICE_PERCENTS; label them exactly (99.9 must not round to "100 %", which these axes never reach).
  const nice = NICE_PERCENTS.find((q) => Math.abs(q - p) < 1e-6 * Math.max(1, q));
  if (nice !== undefined) return `${nice} %`;
  const tail = p > 50 ? 100 - p : p;
  const digits = Math.max(0, -Math.floor(Math.log10(Math.max(tail, 1e-9))));
  return `${p.toFixed(Math.min(digits, 4))} %`;
}

/**
 * Chart.js linear-scale options for data already transformed (logit or probit): ticks sit at
 * round percentages and are labelled in percent, so the axis reads as accuracy.
 */
export function logitAxisOptions(title: string, range: { min: number; max: number }, transform: AxisTransform = 'logit'): Record<string, unknown> {
  return {
    type: 'linear',
    min: range.min,
    max: range.max,
    title: { display: true, text: title },
    afterBuildTicks: (scale: Scale) => {
      scale.ticks = NICE_PERCENTS.map((p) => ({ value: toAxis(p / 100, transform, 1e9) })).filter((t) => t.value >= range.min && t.value <= range.max);
    },
    ticks: { callback: (value: number | string) => percentLabel(Number(value), transform) },
  };
}
