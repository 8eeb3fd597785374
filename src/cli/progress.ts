import cliProgress from 'cli-progress';

/** Progress of one unit of work, as the runner reports it. */
export interface ProgressEvent {
  label: string;
  done: number;
  total?: number;
}

/**
 * A progress bar with count, rate and ETA on a terminal; plain periodic lines otherwise
 * (CI logs), at most one every `intervalMs`.
 */
export class ProgressReporter {
  private bar?: cliProgress.SingleBar;
  private label = '';
  private lastLine = 0;
  private startedAt = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 5000,
    private readonly enabled = true,
  ) {}

  start(label: string, total?: number): void {
    this.stop();
    this.label = label;
    this.startedAt = Date.now();
    this.lastLine = 0;
    if (!this.enabled) return;
    if (this.stream.isTTY && total !== undefined) {
      this.bar = new cliProgress.SingleBar(
        {
          format: `${label.padEnd(40).slice(0, 40)} {bar} {value}/{total} | {rate} img/s | ETA {eta_formatted}`,
          stream: this.stream,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { rate: '0' });
    }
  }

  update(done: number, total?: number): void {
    if (!this.enabled) return;
    const rate = (done / Math.max(1e-3, (Date.now() - this.startedAt) / 1000)).toFixed(0);
    if (this.bar) {
      if (total !== undefined) this.bar.setTotal(total);
      this.bar.update(done, { rate });
      return;
    }
    const now = Date.now();
    if (now - this.lastLine >= this.intervalMs) {
      this.lastLine = now;
      this.stream.write(`${this.label}: ${done}${total !== undefined ? `/${total}` : ''} images (${rate} img/s)\n`);
    }
  }

  /** The callbacks `runPlan` reports units through, driving this reporter. */
  planProgress(): { unitStarted(label: string, total?: number): void; unitProgress(done: number, total?: number): void; unitFinished(): void } {
    return { unitStarted: (l, t) => this.start(l, t), unitProgress: (d, t) => this.update(d, t), unitFinished: () => this.stop() };
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
