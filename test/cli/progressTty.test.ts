import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressReporter } from '../../src/cli/progress.js';

/**
 * A fake terminal: a stream with isTTY and a width that interprets the escape sequences
 * cli-progress writes through readline (cursor up, column, clear line, clear below), so a test
 * reads the screen a user would see rather than raw bytes.
 */
class FakeTty {
  readonly isTTY = true;
  /** cli-progress turns autowrap off (ESC[?7l): the terminal then cuts lines at its width. */
  wrap = true;
  lines: string[] = [''];
  row = 0;
  col = 0;
  constructor(readonly columns: number) {}

  write(data: string | Uint8Array): boolean {
    const text = String(data);
    const re = /\x1b\[(\?)?(\d*)([A-Za-z])|\x1b[78]|\n|[^\x1b\n]+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const tok = m[0];
      if (tok === '\n') {
        this.row++;
        this.col = 0;
        while (this.lines.length <= this.row) this.lines.push('');
      } else if (m[1] === '?' && m[2] === '7') {
        this.wrap = m[3] !== 'l';
      } else if (m[3] !== undefined && m[1] === undefined) {
        const n = m[2] === '' ? 1 : Number(m[2]);
        if (m[3] === 'A') this.row = Math.max(0, this.row - n);
        else if (m[3] === 'G') this.col = n - 1;
        else if (m[3] === 'K') this.lines[this.row] = n === 2 ? '' : this.lines[this.row].slice(0, this.col);
        else if (m[3] === 'J') this.lines = [...this.lines.slice(0, this.row), this.lines[this.row].slice(0, this.col)];
      } else if (!tok.startsWith('\x1b')) {
        const line = this.lines[this.row].padEnd(this.col);
        const shown = this.wrap ? tok : tok.slice(0, Math.max(0, this.columns - this.col));
        this.lines[this.row] = line.slice(0, this.col) + shown + line.slice(this.col + shown.length);
        this.col += shown.length;
      }
    }
    return true;
  }

  /** The visible lines, trailing blanks dropped. */
  screen(): string[] {
    const out = this.lines.map((l) => l.trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }
}

const ROBUST = 'fog:3 · shapes-standard · tiny-clip-shapes-robust';

describe('progress on a terminal', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Lets cli-progress's redraw timer fire (it redraws every 100 ms). */
  const redraw = (): void => {
    vi.advanceTimersByTime(250);
  };

  it('shows an overall bar (units k/N, images, ETA) over one unit bar whose label puts the shift first, uncut', () => {
    let t = 0;
    const tty = new FakeTty(120);
    const p = new ProgressReporter(tty as unknown as NodeJS.WriteStream, 5000, true, () => t);
    p.planStarted(3, 600);
    p.unitStarted(ROBUST, 200);
    t = 4000;
    p.unitProgress(100, 200, { computed: 100, cached: 0 });
    redraw();
    const [overall, unit, ...rest] = tty.screen();
    expect(rest).toEqual([]);
    // 100 of 600 images in 4 s: 500 to go at 25 img/s is 20 s.
    expect(overall).toMatch(/^overall .* 100\/600 images \| units 0\/3 \| ETA 20\.0 s$/);
    expect(unit).toMatch(/^\[1\/3\] .* 100\/200 images \| fog:3 · shapes-standard · tiny-clip-shapes-robust \| 25 img\/s$/);
    p.stop();
  });

  it('on an 80-column terminal the shift is still shown whole (labels were cut at 40 characters)', () => {
    const tty = new FakeTty(80);
    const p = new ProgressReporter(tty as unknown as NodeJS.WriteStream, 5000, true, () => 0);
    p.planStarted(138, undefined);
    p.unitStarted('gaussian_noise:5 · shapes-standard · tiny-clip-shapes-robust', 200);
    p.unitProgress(64, 200, { computed: 64, cached: 0 });
    redraw();
    const unit = tty.screen()[1];
    expect(tty.wrap).toBe(false);
    expect(unit.length).toBe(80);
    expect(unit).toMatch(/^\[1\/138\] .* 64\/200 images \| gaussian_noise:5 · shapes-standard/);
    expect(tty.screen()[0]).toMatch(/units 0\/138/);
    p.stop();
  });

  it('finished unit bars do not pile up: the screen keeps the overall bar and the unit in progress', () => {
    let t = 0;
    const tty = new FakeTty(160);
    const p = new ProgressReporter(tty as unknown as NodeJS.WriteStream, 5000, true, () => t);
    const labels = ['none · shapes-standard · m', 'fog:1 · shapes-standard · m', 'fog:2 · shapes-standard · m', 'none · shapes-dark · m'];
    p.planStarted(labels.length, 40 * labels.length);
    for (const [i, label] of labels.entries()) {
      p.unitStarted(label, 40);
      t += 1000;
      p.unitProgress(40, 40, i === 3 ? { computed: 0, cached: 40 } : { computed: 40, cached: 0 });
      redraw();
      const screen = tty.screen();
      expect(screen, `unit ${i + 1}`).toHaveLength(2);
      // Served from the cache: "cached", not a rate.
      expect(screen[1]).toContain(i === 3 ? `${label} | cached` : `${label} | 40 img/s`);
      for (const earlier of labels.slice(0, i)) expect(screen.join('\n')).not.toContain(earlier);
      p.unitFinished({ total: 40 });
      redraw();
      expect(tty.screen(), `after unit ${i + 1}`).toHaveLength(1);
      expect(tty.screen()[0]).toMatch(new RegExp(`${40 * (i + 1)}/160 images \\| units ${i + 1}/4 \\|`));
    }
    p.stop();
    expect(tty.screen()).toEqual([expect.stringMatching(/^overall .* 160\/160 images \| units 4\/4 \| ETA 0\.0 s$/)]);
  });

  it('halt() before an interrupt warning: the warning is a line of its own and no bar is drawn over it', () => {
    let t = 0;
    const tty = new FakeTty(120);
    const p = new ProgressReporter(tty as unknown as NodeJS.WriteStream, 5000, true, () => t);
    p.planStarted(2, 200);
    p.unitStarted(ROBUST, 100);
    t = 1000;
    p.unitProgress(50, 100, { computed: 50, cached: 0 });
    redraw();
    p.halt();
    const warning = 'warning: SIGINT: stopping after the current batch (send again to quit at once)';
    tty.write(`${warning}\n`);
    // The batch in flight still reports, and the redraw timers run on: nothing lands on the warning.
    t = 2000;
    p.unitProgress(60, 100, { computed: 60, cached: 0 });
    p.unitFinished();
    redraw();
    vi.advanceTimersByTime(5000);
    const screen = tty.screen();
    expect(screen.at(-1)).toBe(warning);
    expect(screen.slice(0, -1).every((l) => !l.includes('warning'))).toBe(true);
  });
});
