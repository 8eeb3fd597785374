import cliProgress from 'cli-progress';
import type { PlanProgress } from '../eval/planProgress.js';

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

/** How often a terminal's bars are redrawn, and a file's line is due, when no progress arrives (ms). */
const TTY_REFRESH_MS = 1000;

/** `shared`: images a unit took from another unit's stream (it differs only in its text shift), counted there. */
type Counts = { computed: number; cached: number; shared?: number };

/**
 * Progress of a run, in images across the whole run (a unit of N images counts N; units
 * streamed together count N each), never going back. On a terminal: an overall bar (images,
 * units k/N, ETA) above one bar for the unit in progress, redrawn at least every second.
 * Otherwise (CI logs, files): a line at least every `intervalMs` while the run lasts, and a final
 * line per unit at its total. The ETA divides the images still to do by the rate of images
 * actually embedded (cache hits left out: they cost next to nothing), timed from the first
 * unit's start (model loading before it is left out too). A unit served from the cache says
 * "cached", not a rate.
 */
export class ProgressReporter {
  private multi?: cliProgress.MultiBar;
  private overall?: cliProgress.SingleBar;
  private bar?: cliProgress.SingleBar;
  private timer?: NodeJS.Timeout;
  private halted = false;
  private label = '';
  private unitTotal: number | undefined;
  private unitStartedAt = 0;
  private lastLine = 0;
  private counts: Counts = { computed: 0, cached: 0 };
  private imagesTotal: number | undefined;
  /** Images of units (or unit groups) finished before the current one. */
  private base = 0;
  /** Progress reported inside the current unit or group, and the totals of its units already finished. */
  private groupDone = 0;
  private groupFinished = 0;
  /** The current stream is a task's own pass (probe train split, OOD set): not in the plan's image total. */
  private inPass = false;
  /** The most ever shown: the overall count never goes back. */
  private shown = 0;
  private firstUnitAt: number | undefined;
  private readonly tally: Omit<RunTally, 'wallSeconds'> = { units: 0, unitsComputed: 0, unitsReused: 0, imagesComputed: 0, imagesCached: 0 };
  /** Images embedded by units (or groups) not yet finished: part of what an interrupt keeps in the cache. */
  private pendingComputed = 0;
  /** Texts the text tower embedded (captions, prompts of classifiers built): kept in the cache as they are. */
  private textsComputed = 0;
  private planStartedAt = Date.now();

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 10_000,
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
    this.lastLine = this.planStartedAt;
    if (!this.enabled || this.halted) return;
    // Unref'd: the timer never keeps the process alive, and fires between inference batches.
    this.timer = setInterval(() => this.tick(), Math.min(TTY_REFRESH_MS, this.intervalMs));
    this.timer.unref();
    if (!this.tty) return;
    // The bar shrinks on narrow terminals so the unit's label (shift first) stays on screen: lines
    // are cut at the terminal width, and a 40-character bar pushed the shift off an 80-column one.
    const barsize = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 90));
    this.multi = new cliProgress.MultiBar({ stream: this.stream, hideCursor: true, clearOnComplete: false, barsize, format: '{label} {bar} {value}/{total} {unit} | {info}' }, cliProgress.Presets.shades_classic);
    this.overall = this.multi.create(images ?? units, 0, { label: 'overall', unit: images === undefined ? 'units' : 'images', info: this.overallInfo() });
  }

  unitStarted(label: string, total?: number, how?: { pass?: boolean }): void {
    if (!this.inPass) this.base += Math.max(this.groupDone, this.groupFinished);
    this.inPass = how?.pass === true;
    this.groupDone = 0;
    this.groupFinished = 0;
    this.label = label;
    this.unitTotal = total;
    this.unitStartedAt = this.now();
    this.firstUnitAt ??= this.unitStartedAt;
    this.lastLine = this.unitStartedAt;
    this.counts = { computed: 0, cached: 0 };
    if (this.multi && total !== undefined) this.bar = this.multi.create(total, 0, { label: this.position(), unit: 'images', info: label });
  }

  unitProgress(done: number, total?: number, counts?: Counts): void {
    this.groupDone = Math.max(this.groupDone, done);
    if (total !== undefined) this.unitTotal = total;
    if (counts) {
      this.pendingComputed += Math.max(0, counts.computed - this.counts.computed);
      this.counts = counts;
    }
    if (!this.enabled || this.halted) return;
    if (this.multi) {
      this.redraw();
      return;
    }
    if (this.now() - this.lastLine >= this.intervalMs) this.writeLine(this.line(this.groupDone));
  }

  unitFinished(how?: { reused?: boolean; pass?: boolean; total?: number; label?: string; counts?: Counts }): void {
    if (!how) {
      this.stop(); // the unit failed or was interrupted: no final line claiming its total
      return;
    }
    // Units streamed together finish one by one under the shared progress: each names itself.
    const label = how.label ?? this.label;
    const counts = how.counts ?? this.counts;
    const total = how.total ?? this.unitTotal ?? this.groupDone;
    if (how.reused) {
      this.tally.unitsReused++;
    } else {
      if (!how.pass) this.tally.unitsComputed++;
      this.tally.imagesComputed += counts.computed;
      this.tally.imagesCached += counts.cached;
      this.pendingComputed = Math.max(0, this.pendingComputed - counts.computed);
    }
    this.groupFinished += total;
    if (!this.enabled || this.halted) return;
    if (this.multi) {
      if (this.bar && this.groupFinished >= (this.unitTotal ?? 0)) {
        this.multi.remove(this.bar);
        this.bar = undefined;
      }
      this.redraw();
      return;
    }
    const pos = `[${this.finishedUnits}/${this.tally.units || '?'}]`;
    if (how.reused) this.writeLine(`${pos} ${label}: results exist (--skip-existing)`);
    else if (how.label !== undefined && this.unitTotal !== undefined && this.unitTotal > total) this.writeLine(this.sharedLine(pos, label, total, counts));
    else this.writeLine(this.line(total, pos, label));
  }

  /** The callbacks `runPlan` reports units through, driving this reporter. */
  planProgress(): PlanProgress {
    return {
      planStarted: (u, i) => this.planStarted(u, i),
      unitStarted: (l, t, h) => this.unitStarted(l, t, h),
      unitProgress: (d, t, c) => this.unitProgress(d, t, c),
      unitFinished: (h) => this.unitFinished(h),
      textsEmbedded: (n) => {
        this.textsComputed += n;
      },
    };
  }

  /** Counts for the end summary. */
  summary(): RunTally {
    return { ...this.tally, wallSeconds: (this.now() - this.planStartedAt) / 1000 };
  }

  /** Images embedded so far, finished units or not (an interrupted run keeps them in the cache). */
  embeddedSoFar(): number {
    return this.tally.imagesComputed + this.pendingComputed;
  }

  /** Texts embedded so far (captions, classifier prompts; cache hits not counted), for the line an interrupted run ends with. */
  textsSoFar(): number {
    return this.textsComputed;
  }

  /** Removes the bars (left as last drawn); further progress prints nothing. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.multi?.stop();
    this.multi = undefined;
    this.overall = undefined;
    this.bar = undefined;
  }

  /** For a message that must not land inside a bar (an interrupt): the bars end and nothing more is drawn. */
  halt(): void {
    this.halted = true;
    this.stop();
  }

  private tick(): void {
    if (this.halted) return;
    if (this.multi) this.redraw();
    else if (this.now() - this.lastLine >= this.intervalMs) this.writeLine(this.firstUnitAt === undefined ? this.startingLine() : this.line(this.groupDone));
  }

  /** Before the first unit streams: models loading, classifiers being built. */
  private startingLine(): string {
    return `starting: loading models and building classifiers, ${duration((this.now() - this.planStartedAt) / 1000)}${this.overallSuffix()}`;
  }

  private redraw(): void {
    this.bar?.update(this.groupDone, { label: this.position(), info: `${this.label} | ${this.rate()}` });
    this.overall?.update(this.imagesTotal === undefined ? this.finishedUnits : this.overallDone(), { info: this.overallInfo() });
  }

  private writeLine(text: string): void {
    this.lastLine = this.now();
    this.stream.write(`${text}\n`);
  }

  /** Images done across the run: never less than already shown. */
  private overallDone(): number {
    this.shown = Math.max(this.shown, this.base + (this.inPass ? 0 : Math.max(this.groupDone, this.groupFinished)));
    return this.shown;
  }

  /** `[k/N]` of the unit in progress. */
  private position(): string {
    return `[${Math.min(this.finishedUnits + 1, this.tally.units || Infinity)}/${this.tally.units || '?'}]`;
  }

  private line(done: number, pos = this.position(), label = this.label): string {
    const seconds = (this.now() - this.unitStartedAt) / 1000;
    return `${pos} ${label}: ${done}${this.unitTotal !== undefined ? `/${this.unitTotal}` : ''} images, ${seconds.toFixed(1)} s (${this.rate()})${this.overallSuffix()}`;
  }

  /** A unit of a shared pass: its own counts, and the pass's time and rate (a unit alone has neither). */
  private sharedLine(pos: string, label: string, total: number, counts: Counts): string {
    const units = Math.round((this.unitTotal ?? total) / Math.max(1, total));
    const seconds = (this.now() - this.unitStartedAt) / 1000;
    return `${pos} ${label}: ${total}/${total} images (${counts.computed > 0 ? `${counts.computed} embedded` : counts.shared ? 'images of the unit without text shift' : 'cached'}; pass shared by ${units} units: ${seconds.toFixed(1)} s, ${this.rate()})${this.overallSuffix()}`;
  }

  /** Images per second over the images actually embedded; "cached" when none were. */
  private rate(): string {
    if (this.counts.computed === 0) return this.counts.cached > 0 ? 'cached' : 'starting';
    const seconds = Math.max(1e-3, (this.now() - this.unitStartedAt) / 1000);
    const cached = this.counts.cached > 0 ? `, ${this.counts.cached} cached` : '';
    return `${(this.counts.computed / seconds).toFixed(0)} img/s${cached}`;
  }

  private overallInfo(): string {
    return `units ${this.finishedUnits}/${this.tally.units} | ETA ${this.eta()}`;
  }

  private overallSuffix(): string {
    if (this.imagesTotal === undefined) return '';
    return `; overall ${this.overallDone()}/${this.imagesTotal} images, ETA ${this.eta()}`;
  }

  /** Images still to do ÷ the rate of images embedded since the first unit started; `?` before any was embedded. */
  private eta(): string {
    if (this.imagesTotal === undefined) return '?';
    const left = Math.max(0, this.imagesTotal - this.overallDone());
    if (left === 0) return duration(0);
    const embedded = this.embeddedSoFar();
    if (embedded === 0 || this.firstUnitAt === undefined) return '?';
    const seconds = (this.now() - this.firstUnitAt) / 1000;
    return duration((seconds / embedded) * left);
  }
}
