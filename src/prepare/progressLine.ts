import type { DownloadProgress } from './download.js';

/** Human byte count: 1.5 MB, 2.9 GB. */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** One plain progress line for logs that are not a terminal. */
export function progressLine(dataset: string, p: DownloadProgress): string {
  const file = p.url.slice(p.url.lastIndexOf('/') + 1);
  const of = p.total !== undefined ? ` of ${formatBytes(p.total)} (${((100 * p.received) / p.total).toFixed(0)}%)` : '';
  return `${dataset}: ${file} ${formatBytes(p.received)}${of}`;
}
