import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ZeroshiftError } from '../../errors.js';
import type { DownloadProgress } from '../../prepare/download.js';
import type { PrepareOutcome } from '../../prepare/prepare.js';
import { formatBytes, progressLine } from '../../prepare/progressLine.js';
import { resolveDataDir } from '../../util/dataDir.js';
import { parseByteSize } from '../../util/byteSize.js';
import type { CliContext } from '../context.js';
import type { CommandRegistrar } from './index.js';

interface PrepareFlags {
  dataDir?: string;
  offline?: boolean;
  force?: boolean;
  list?: boolean;
  trustUnverified?: boolean;
  mirror?: string;
  maxDownloadSize?: string;
  stallTimeout?: string;
}

/** `--max-download-size` and `--stall-timeout` as bytes and milliseconds (USAGE naming the flag when malformed). */
function downloadLimits(flags: PrepareFlags): { maxDownloadBytes?: number; stallTimeoutMs?: number } {
  let maxDownloadBytes: number | undefined;
  if (flags.maxDownloadSize !== undefined) {
    maxDownloadBytes = parseByteSize(flags.maxDownloadSize);
    if (maxDownloadBytes === undefined) throw new ZeroshiftError('USAGE', `--max-download-size '${flags.maxDownloadSize}' is not a size; give bytes or a number with a unit, e.g. 500GB or 2TB`);
  }
  let stallTimeoutMs: number | undefined;
  if (flags.stallTimeout !== undefined) {
    const s = Number(flags.stallTimeout);
    if (!Number.isFinite(s) || s <= 0 || s > 86_400) throw new ZeroshiftError('USAGE', `--stall-timeout '${flags.stallTimeout}' is not a number of seconds in (0, 86400]`);
    stallTimeoutMs = s * 1000;
  }
  return { maxDownloadBytes, stallTimeoutMs };
}

const PLAIN_INTERVAL_MS = 5000;

/** A byte progress bar on a terminal; a plain line every few seconds otherwise. */
function progressReporter(ctx: CliContext): { update: (dataset: string, p: DownloadProgress) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let barUrl = '';
  let last = 0;
  const tty = process.stderr.isTTY === true;
  return {
    update(dataset, p) {
      if (!tty) {
        if (Date.now() - last < PLAIN_INTERVAL_MS) return;
        last = Date.now();
        ctx.log.info(progressLine(dataset, p));
        return;
      }
      if (barUrl !== p.url) {
        bar?.stop();
        barUrl = p.url;
        bar = new cliProgress.SingleBar(
          { format: `${dataset.padEnd(16)} {bar} {percentage}% | {got} of {size}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total ?? 0, 0, { got: '0 B', size: p.total !== undefined ? formatBytes(p.total) : '?' });
      }
      bar?.update(p.received, { got: formatBytes(p.received) });
    },
    stop: () => bar?.stop(),
  };
}

async function listDatasets(ctx: CliContext, dataDir: string): Promise<void> {
  const [{ shippedManifest }, { datasetStatus }] = await Promise.all([import('../../prepare/manifest.js'), import('../../prepare/status.js')]);
  const m = shippedManifest();
  ctx.out(`data dir: ${dataDir}\n`);
  for (const d of m.datasets) {
    const s = datasetStatus(d, dataDir);
    ctx.out(`${s.prepared ? '[x]' : '[ ]'} ${d.id.padEnd(22)} ${d.sizeOnDisk.padStart(10)}  ${d.kind === 'user' ? '(you supply it) ' : ''}${d.title}\n`);
  }
  ctx.out(`suites: ${Object.entries(m.suites).map(([k, v]) => `${k} = ${v.join(' + ')}`).join('; ')}\n`);
}

function report(ctx: CliContext, outcomes: PrepareOutcome[], offline: boolean): void {
  for (const o of outcomes) ctx.out(`${o.message}\n`);
  const missing = outcomes.filter((o) => o.result === 'missing').map((o) => o.id);
  if (missing.length > 0) {
    throw new ZeroshiftError('DATASET', `${missing.length} dataset(s) not available: ${missing.join(', ')}`, {
      hint: offline ? 'run the commands above without --offline' : 'follow the steps above, then run prepare again',
    });
  }
}

async function runPrepare(ctx: CliContext, names: string[], flags: PrepareFlags): Promise<void> {
  const dataDir = resolveDataDir(flags.dataDir);
  if (flags.list || names.length === 0) return listDatasets(ctx, dataDir);
  const limits = downloadLimits(flags);
  // Loaded on use, not at start-up (tar, zod): see docs/performance.md.
  const { prepareAll } = await import('../../prepare/prepare.js');
  const progress = progressReporter(ctx);
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const outcomes = await prepareAll(names, {
      dataDir,
      offline: flags.offline,
      force: flags.force,
      trustUnverified: flags.trustUnverified,
      mirror: flags.mirror,
      ...limits,
      log: ctx.log,
      onProgress: progress.update,
      signal: abort.signal,
    });
    progress.stop();
    report(ctx, outcomes, flags.offline ?? false);
  } catch (e) {
    progress.stop();
    if (abort.signal.aborted) throw new ZeroshiftError('INTERRUPTED', 'prepare interrupted; partial downloads are kept and resume on the next run');
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}

/** `zeroshift prepare NAME|SUITE...`: download, verify and lay out benchmarks under the data dir. */
export const registerPrepare: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('prepare')
    .description('download, verify and lay out public benchmarks (and check user-supplied ImageNet/ObjectNet) under the data dir')
    .argument('[names...]', 'dataset ids or suite names; none lists them (see --list)')
    .option('--data-dir <dir>', 'data directory (default: $ZEROSHIFT_DATA_DIR, $XDG_DATA_HOME/zeroshift or ~/.local/share/zeroshift)')
    .option('--offline', 'never touch the network: report what is present and what is missing')
    .option('--force', 'download again and replace existing layouts')
    .option('--list', 'list every dataset and suite with its status and size')
    .option('--trust-unverified', 'accept files that have no published checksum (their sha256 is recorded)')
    .option('--mirror <url>', 'fetch <url>/<dataset>/<file> instead of the official URLs (default: $ZEROSHIFT_MIRROR)')
    .option('--max-download-size <size>', 'largest file accepted when the manifest gives no size, e.g. 500GB (default 200GB); files of known size stop at that size')
    .option('--stall-timeout <seconds>', 'give up a try after this many seconds without data (default 30; 4 tries)')
    .addHelpText('after', `
Examples:
  $ zeroshift prepare --list

Downloads (network), or a check of what is there (--offline exits 2 when something is missing):
  zeroshift prepare cifar10-robustness --offline
  zeroshift prepare cifar10-robustness
  zeroshift prepare imagenet-robustness --data-dir /data

Data lives in --data-dir, else $ZEROSHIFT_DATA_DIR, else $XDG_DATA_HOME/zeroshift, else
~/.local/share/zeroshift. Docs: docs/prepare.md`)
    .action(async (names: string[], flags: PrepareFlags) => runPrepare(ctx, names, flags));
};
