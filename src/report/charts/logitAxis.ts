import type { Scale } from 'chart.js';
import { fromAxis, toAxis, type AxisTransform } from '../effectiveRobustness.js';

/** Percent ticks a reader expects on a logit or probit axis (dense near 0 and 100 %, where both stretch). */
const NICE_PERCENTS = [0.1, 0.5, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9];

/**
 * The order ticks are kept in when they crowd: the middle, then the decades, then the rest.
 * Which of NICE_PERCENTS survive depends on the axis's length in pixels.
 */
const TICK_PRIORITY = [50, 10, 90, 1, 99, 20, 80, 0.1, 99.9, 30, 70, 5, 95, 40, 60, 2, 98, 0.5, 99.5];

/** Least distance between tick centres: a label (`99.5 %` at 13 px is ~45 px wide) plus a gap on x; a line height plus a gap on y. */
const MIN_X_GAP_PX = 58;
const MIN_Y_GAP_PX = 22;

/**
 * Tick positions (transformed units, ascending) on an axis of `lengthPx` pixels over `range`:
 * the nice percentages inside the range, kept in TICK_PRIORITY order while each is at least
 * `minGapPx` from every one kept, so labels never run together ("30 %40 %50 %" on a narrow
 * logit span).
 */
export function spacedTicks(range: { min: number; max: number }, transform: AxisTransform, lengthPx: number, minGapPx: number): number[] {
  const perUnit = lengthPx / Math.max(1e-12, range.max - range.min);
  const kept: number[] = [];
  for (const p of TICK_PRIORITY) {
    const v = toAxis(p / 100, transform, 1e9);
    if (v < range.min || v > range.max) continue;
    if (kept.every((k) => Math.abs(k - v) * perUnit >= minGapPx)) kept.push(v);
  }
  return kept.sort((a, b) => a - b);
}

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
      const horizontal = scale.isHorizontal();
      const length = horizontal ? scale.width : scale.height;
      scale.ticks = spacedTicks(range, transform, length, horizontal ? MIN_X_GAP_PX : MIN_Y_GAP_PX).map((value) => ({ value }));
    },
    ticks: { callback: (value: number | string) => percentLabel(Number(value), transform) },
  };
}
