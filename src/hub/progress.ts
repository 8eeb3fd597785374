/**
 * Download progress for Hub models: on a terminal a bar with bytes, rate and ETA; otherwise
 * (CI and batch logs) a plain line at most every `intervalMs`.
 */
import cliProgress from 'cli-progress';
import { formatBytes } from '../prepare/progressLine.js';
import type { HubProgress } from './resolve.js';

/** A HubProgress writing to `stream` (normally stderr). */
export function streamProgress(stream: NodeJS.WriteStream, intervalMs = 5000): HubProgress {
  let bar: cliProgress.SingleBar | undefined;
  let label = '';
  let total = 0;
  let startedAt = 0;
  let lastLine = 0;
  const rate = (done: number): number => done / Math.max(1e-3, (Date.now() - startedAt) / 1000);
  return {
    start(l, totalBytes) {
      label = l;
      total = totalBytes;
      startedAt = Date.now();
      lastLine = startedAt;
      if (totalBytes === 0 || !stream.isTTY) return;
      bar = new cliProgress.SingleBar(
        {
          format: `${label.padEnd(32).slice(0, 32)} {bar} {percentage}% | {got} of {size} | {speed}/s | ETA {eta_formatted}`,
          stream,
          hideCursor: true,
          etaBuffer: 200,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(totalBytes, 0, { got: '0 B', size: formatBytes(totalBytes), speed: '0 B' });
    },
    update(done) {
      if (bar) return bar.update(done, { got: formatBytes(done), speed: formatBytes(Math.round(rate(done))) });
      if (total === 0 || Date.now() - lastLine < intervalMs) return;
      lastLine = Date.now();
      stream.write(`${label}: ${formatBytes(done)} of ${formatBytes(total)} (${((100 * done) / total).toFixed(0)}%, ${formatBytes(Math.round(rate(done)))}/s)\n`);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
