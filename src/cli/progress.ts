import cliProgress from 'cli-progress';
import type { PlanProgress } from '../eval/runPlan.js';

/** What a run did, for the end summary. */
export interface RunTally {
  units: number;
  unitsComputed: number;
  unitsReused: number;
  imagesComputed: number;
  imagesCached: number;
  /** Seconds since the plan started. */
  wallSeconds: number;
}

/** `1h 02m`, `3m 05s`, `12.3 s`. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Progress of a run. On a terminal: an overall bar (units k/N, images, ETA) above one bar for
 * the unit in progress, removed when it finishes. Otherwise (CI logs, files): a line at most
 * every `intervalMs` while a unit runs and a final line per unit at its total. A unit served
 * from the cache says "cached", not a rate.
 */
export class ProgressReporter {
  private multi?: cliProgress.MultiBar;
  private overall?: cliProgress.SingleBar;
  private bar?: cliProgress.SingleBar;
  private label = '';
  private unitTotal: number | undefined;
  private unitStartedAt = 0;
  private lastLine = 0;
  private counts = { computed: 0, cached: 0 };
  private done = 0;
  private imagesTotal: number | undefined;
  private imagesDone = 0;
  private readonly tally: Omit<RunTally, 'wallSeconds'> = { units: 0, unitsComputed: 0, unitsReused: 0, imagesComputed: 0, imagesCached: 0 };
  private planStartedAt = Date.now();

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 5000,
    private readonly enabled = true,
    private readonly now: () => number = Date.now,
  ) {}

  private get tty(): boolean {
    return this.enabled && this.stream.isTTY === true;
  }

  private get finishedUnits(): number {
    return this.tally.unitsComputed + this.tally.unitsReused;
  }

  planStarted(units: number, images: number | undefined): void {
    this.tally.units = units;
    this.imagesTotal = images;
    this.planStartedAt = this.now();
    if (!this.tty) return;
    // The bar shrinks on narrow terminals so the unit's label (shift first) stays on screen: lines
    // are cut at the terminal width, and a 40-character bar pushed the shift off an 80-column one.
    const barsize = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 90));
    this.multi = new cliProgress.MultiBar({ stream: this.stream, hideCursor: true, clearOnComplete: false, etaBuffer: 200, barsize, format: '{label} {bar} {value}/{total} {unit} | {info}' }, cliProgress.Presets.shades_classic);
    this.overall = this.multi.create(images ?? units, 0, { label: 'overall', unit: images === undefined ? 'units' : 'images', info: this.overallInfo() });
  }

  unitStarted(label: string, total?: number): void {
    this.label = label;
    this.unitTotal = total;
    this.unitStartedAt = this.now();
    this.lastLine = this.unitStartedAt;
    this.counts = { computed: 0, cached: 0 };
    this.done = 0;
    if (this.multi && total !== undefined) this.bar = this.multi.create(total, 0, { label: this.position(), unit: 'images', info: label });
  }

  unitProgress(done: number, total?: number, counts?: { computed: number; cached: number }): void {
    this.done = done;
    if (total !== undefined) this.unitTotal = total;
    if (counts) this.counts = counts;
    if (!this.enabled) return;
    if (this.multi) {
      this.bar?.update(done, { label: this.position(), info: `${this.label} | ${this.rate()}` });
      this.overall?.update(this.imagesTotal === undefined ? this.finishedUnits : this.imagesDone + done, { info: this.overallInfo(done) });
      return;
    }
    const now = this.now();
    if (now - this.lastLine >= this.intervalMs) {
      this.lastLine = now;
      this.stream.write(`${this.line(done)}${this.overallSuffix(done)}\n`);
    }
  }

  unitFinished(how?: { reused?: boolean; total?: number; label?: string; counts?: { computed: number; cached: number } }): void {
    if (!how) {
      this.stop(); // the unit failed or was interrupted: no final line claiming its total
      return;
    }
    // Units streamed together finish one by one under the shared progress: each names itself.
    if (how.label !== undefined) {
      this.label = how.label;
      this.unitTotal = how.total ?? this.unitTotal;
    }
    if (how.counts) this.counts = how.counts;
    const total = how.total ?? this.unitTotal ?? this.done;
    if (how.reused) {
      this.tally.unitsReused++;
    } else {
      this.tally.unitsComputed++;
      this.tally.imagesComputed += this.counts.computed;
      this.tally.imagesCached += this.counts.cached;
    }
    this.imagesDone += total;
    if (this.enabled && !this.multi) {
      const pos = this.position(true);
      this.stream.write(how.reused ? `${pos} ${this.label}: results exist (--skip-existing)\n` : `${this.line(total, pos)}${this.overallSuffix(0)}\n`);
    }
    if (this.multi) {
      if (this.bar) this.multi.remove(this.bar);
      this.bar = undefined;
      this.overall?.update(this.imagesTotal === undefined ? this.finishedUnits : this.imagesDone, { info: this.overallInfo() });
    }
  }

  /** The callbacks `runPlan` reports units through, driving this reporter. */
  planProgress(): PlanProgress {
    return {
      planStarted: (u, i) => this.planStarted(u, i),
      unitStarted: (l, t) => this.unitStarted(l, t),
      unitProgress: (d, t, c) => this.unitProgress(d, t, c),
      unitFinished: (h) => this.unitFinished(h),
    };
  }

  /** Counts for the end summary. */
  summary(): RunTally {
    return { ...this.tally, wallSeconds: (this.now() - this.planStartedAt) / 1000 };
  }

  stop(): void {
    this.multi?.stop();
    this.multi = undefined;
    this.overall = undefined;
    this.bar = undefined;
  }

  /** `[k/N]` of the unit in progress (or just finished). */
  private position(finished = false): string {
    const k = this.finishedUnits + (finished ? 0 : 1);
    return `[${k}/${this.tally.units || '?'}]`;
  }

  private line(done: number, pos = this.position()): string {
    const seconds = (this.now() - this.unitStartedAt) / 1000;
    return `${pos} ${this.label}: ${done}${this.unitTotal !== undefined ? `/${this.unitTotal}` : ''} images, ${seconds.toFixed(1)} s (${this.rate()})`;
  }

  /** Images per second over the images actually computed; "cached" when none were. */
  private rate(): string {
    if (this.counts.computed === 0) return this.counts.cached > 0 ? 'cached' : 'starting';
    const seconds = Math.max(1e-3, (this.now() - this.unitStartedAt) / 1000);
    const cached = this.counts.cached > 0 ? `, ${this.counts.cached} cached` : '';
    return `${(this.counts.computed / seconds).toFixed(0)} img/s${cached}`;
  }

  private overallInfo(unitDone = 0): string {
    return `units ${this.finishedUnits}/${this.tally.units} | ETA ${this.eta(unitDone)}`;
  }

  private overallSuffix(unitDone: number): string {
    if (this.imagesTotal === undefined) return '';
    return `; overall ${this.imagesDone + unitDone}/${this.imagesTotal} images, ETA ${this.eta(unitDone)}`;
  }

  private eta(unitDone: number): string {
    if (this.imagesTotal === undefined) return '?';
    const done = this.imagesDone + unitDone;
    if (done === 0) return '?';
    const elapsed = (this.now() - this.planStartedAt) / 1000;
    return duration((elapsed / done) * (this.imagesTotal - done));
  }
}
