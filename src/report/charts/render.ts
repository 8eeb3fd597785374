import { createCanvas, SvgExportFlag } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import { errorBarsPlugin } from './errorBarsPlugin.js';

/** A chart ready to draw: a chart.js configuration plus its file stem and logical size (CSS px). */
export interface ChartSpec {
  /** File stem, e.g. `accuracy-by-condition`. */
  name: string;
  title: string;
  /** Plain-text caption for alt text and the Markdown report. */
  caption: string;
  width: number;
  height: number;
  /** Where the HTML report shows it: the main flow (default), a collapsed details section, or under its task table (`TaskTable.chart`). */
  placement?: 'main' | 'details' | 'tasks';
  config: ChartConfiguration;
  /**
   * A chart that learns only once laid out that it needs another form (direct labels that found
   * no free place): after a trial draw, `failed()` says so and `fallback()` is drawn instead.
   */
  relayout?: { failed(): boolean; fallback(): ChartSpec };
}

/** Rendered bytes: PNG at 2× device pixels, SVG at 1× with text converted to paths. */
export interface RenderedChart {
  spec: ChartSpec;
  png: Buffer;
  svg: Buffer;
}

let registered = false;

function ensureRegistered(): void {
  if (registered) return;
  Chart.register(...registerables, errorBarsPlugin);
  // Deterministic font so PNGs look the same on every machine that has Liberation/DejaVu.
  Chart.defaults.font.family = "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif";
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#222222';
  registered = true;
}

/** Paints the canvas white before drawing: transparent PNGs vanish on dark slides and PDFs. */
const whiteBackground: Plugin = {
  id: 'zeroshiftWhiteBackground',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

function withNodeOptions(config: ChartConfiguration, devicePixelRatio: number): ChartConfiguration {
  // No DOM in Node: chart.js falls back to its basic platform, which needs a fixed size and no animation.
  return {
    ...config,
    options: { ...(config.options ?? {}), responsive: false, animation: false, devicePixelRatio },
    plugins: [...(config.plugins ?? []), whiteBackground],
  } as ChartConfiguration;
}

/** The spec to draw: `spec`, or its fallback when a trial draw at 1× said it needs one. */
function settledSpec(spec: ChartSpec): ChartSpec {
  if (!spec.relayout) return spec;
  const trial = new Chart(createCanvas(spec.width, spec.height).getContext('2d') as never, withNodeOptions(spec.config, 1));
  trial.destroy();
  return spec.relayout.failed() ? spec.relayout.fallback() : spec;
}

/** Draws one chart to PNG (2×) and SVG; the spec returned is the one drawn (a fallback, when the chart needed one). */
export function renderChart(input: ChartSpec): RenderedChart {
  ensureRegistered();
  const spec = settledSpec(input);
  const canvas = createCanvas(spec.width, spec.height);
  const chart = new Chart(canvas.getContext('2d') as never, withNodeOptions(spec.config, 2));
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  const svgCanvas = createCanvas(spec.width, spec.height, SvgExportFlag.ConvertTextToPaths);
  const svgChart = new Chart(svgCanvas.getContext('2d') as never, withNodeOptions(spec.config, 1));
  const svg = svgCanvas.getContent();
  svgChart.destroy();
  return { spec, png, svg };
}
