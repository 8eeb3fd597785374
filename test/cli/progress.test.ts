import { describe, expect, it, vi } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressReporter, duration } from '../../src/cli/progress.js';
import { cli } from '../helpers/cli.js';

/** A non-terminal stream that keeps what is written. */
function sink(): NodeJS.WriteStream & { text: string } {
  const s = { text: '', isTTY: false, write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress without a terminal', () => {
  it('prints periodic lines and a final line per unit at its total, cached units say "cached"', () => {
    let t = 0;
    const out = sink();
    const p = new ProgressReporter(out, 5000, true, () => t);
    p.planStarted(2, 300);
    p.unitStarted('fog:3 · shapes-standard · tiny', 200);
    p.unitProgress(64, 200, { computed: 64, cached: 0 });
    t = 6000;
    p.unitProgress(128, 200, { computed: 128, cached: 0 });
    t = 8000;
    p.unitProgress(200, 200, { computed: 200, cached: 0 });
    p.unitFinished({ total: 200 });
    p.unitStarted('none · shapes-dark · tiny', 100);
    p.unitProgress(100, 100, { computed: 0, cached: 100 });
    t = 8100;
    p.unitFinished({ total: 100 });
    const lines = out.text.trim().split('\n');
    expect(lines).toEqual([
      '[1/2] fog:3 · shapes-standard · tiny: 128/200 images, 6.0 s (21 img/s); overall 128/300 images, ETA 8.1 s',
      '[1/2] fog:3 · shapes-standard · tiny: 200/200 images, 8.0 s (25 img/s); overall 200/300 images, ETA 4.0 s',
      '[2/2] none · shapes-dark · tiny: 100/100 images, 0.1 s (cached); overall 300/300 images, ETA 0.0 s',
    ]);
    expect(p.summary()).toMatchObject({ units: 2, unitsComputed: 2, imagesComputed: 200, imagesCached: 100, wallSeconds: 8.1 });
  });

  it('an interrupted unit gets no final line', () => {
    const out = sink();
    const p = new ProgressReporter(out, 5000, true, () => 0);
    p.planStarted(1, 10);
    p.unitStarted('none · x · m', 10);
    p.unitProgress(5, 10, { computed: 5, cached: 0 });
    p.unitFinished();
    expect(out.text).toBe('');
  });

  it('counts images across the whole run, never going back when the units of a shared pass finish', () => {
    let t = 0;
    const out = sink();
    const p = new ProgressReporter(out, 5000, true, () => t);
    p.planStarted(4, 400);
    // Three units of 100 images in one pass (300 lane-images), then a unit of its own.
    p.unitStarted('3 units · shapes-standard · none + 2 shifts · 1 model', 300);
    for (const done of [100, 200, 300]) {
      t += 6000;
      p.unitProgress(done, 300, { computed: done, cached: 0 });
    }
    for (const label of ['none · s · m', 'fog:1 · s · m', 'fog:2 · s · m']) p.unitFinished({ total: 100, label, counts: { computed: 100, cached: 0 } });
    p.unitStarted('none · shapes-dark · m', 100);
    t += 6000;
    p.unitProgress(50, 100, { computed: 50, cached: 0 });
    const overall = [...out.text.matchAll(/overall (\d+)\/400/g)].map((m) => Number(m[1]));
    expect(overall).toEqual([100, 200, 300, 300, 300, 300, 350]);
    expect(out.text).toContain('[3/4] fog:2 · s · m: 100/100 images (100 embedded; pass shared by 3 units: 18.0 s, 17 img/s); overall 300/400 images');
  });

  it('ETA: images left over the rate of images embedded; cache hits never make it up', () => {
    let t = 0;
    const out = sink();
    const p = new ProgressReporter(out, 5000, true, () => t);
    p.planStarted(2, 1000);
    // Model loading before the first unit is not part of the rate.
    t = 60_000;
    p.unitStarted('none · a · m', 500);
    t = 66_000;
    p.unitProgress(500, 500, { computed: 0, cached: 500 });
    expect(out.text).toMatch(/overall 500\/1000 images, ETA \?$/m);
    p.unitFinished({ total: 500 });
    p.unitStarted('none · b · m', 500);
    t = 76_000;
    p.unitProgress(100, 500, { computed: 100, cached: 0 });
    // 100 embedded in 16 s since the first unit started: 400 left is 64 s.
    expect(out.text.trim().split('\n').at(-1)).toMatch(/overall 600\/1000 images, ETA 1m 04s$/);
  });

  it('without a terminal, a line comes at least every interval while a long batch gives no progress', () => {
    vi.useFakeTimers();
    try {
      const out = sink();
      const p = new ProgressReporter(out, 5000, true, () => Date.now());
      const start = Date.now();
      p.planStarted(1, 100);
      vi.advanceTimersByTime(5000);
      expect(out.text).toMatch(/^starting: loading models and building classifiers, 5\.0 s; overall 0\/100 images, ETA \?$/m);
      p.unitStarted('none · a · m', 100);
      p.unitProgress(10, 100, { computed: 10, cached: 0 });
      vi.advanceTimersByTime(30_000);
      p.stop();
      vi.advanceTimersByTime(30_000);
      const times = out.text.trim().split('\n').length;
      // 35 s of run: a line at 5 s, then one every 5 s of the 30 s without progress; none after stop().
      expect(times).toBe(7);
      expect(Date.now() - start).toBe(65_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a task's own pass (the probe's train split) counts as embedded, not as a unit or in the plan's images", () => {
    let t = 0;
    const out = sink();
    const p = new ProgressReporter(out, 5000, true, () => t);
    p.planStarted(1, 100);
    p.unitStarted('tiny · shapes-standard (train)', 500, { pass: true });
    t = 6000;
    p.unitProgress(250, 500, { computed: 250, cached: 0 });
    // Ctrl-C here keeps what the pass embedded.
    expect(p.embeddedSoFar()).toBe(250);
    p.unitProgress(500, 500, { computed: 500, cached: 0 });
    p.unitFinished({ pass: true, label: 'tiny · shapes-standard (train)', total: 500, counts: { computed: 500, cached: 0 } });
    expect(p.summary()).toMatchObject({ unitsComputed: 0, imagesComputed: 500 });
    p.unitStarted('none · shapes-standard · tiny', 100);
    t = 7000;
    p.unitProgress(100, 100, { computed: 100, cached: 0 });
    p.unitFinished({ total: 100 });
    expect(p.summary()).toMatchObject({ unitsComputed: 1, imagesComputed: 600 });
    const overall = [...out.text.matchAll(/overall (\d+)\/100 images/g)].map((m) => Number(m[1]));
    // The pass moves no overall count beyond the plan's 100 images; the unit brings it to 100.
    expect(overall).toEqual([0, 0, 100]);
  });

  it('formats durations', () => {
    expect(duration(12.34)).toBe('12.3 s');
    expect(duration(185)).toBe('3m 05s');
    expect(duration(3720)).toBe('1h 02m');
  });
});

describe('eval progress and summary', () => {
  it('reaches every unit total, then says wall time, computed vs cached, where and what next', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-progress-'));
    const out = join(tmp, 'my results');
    const args = ['eval', '--dataset', 'shapes:standard?n=100', '--shift', 'fog:2', '--prompts', 'shapes-shape', '--batch-size', '64', '--out', out, '--cache-dir', join(tmp, 'c')];
    const first = await cli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^zeroshift eval: 2 unit\(s\) \(1 dataset\(s\), 1 model\(s\), 200 images\) → .*my results$/m);
    // The two units share one pass over the images: each line gives its own count, and the pass's time and rate.
    expect(first.stderr).toMatch(/^\[1\/2\] none · shapes-standard · tiny-clip-shapes: 100\/100 images \(100 embedded; pass shared by 2 units: [\d.]+ s, \d+ img\/s\)/m);
    expect(first.stderr).toMatch(/^\[2\/2\] fog:2 · shapes-standard · tiny-clip-shapes: 100\/100 images \(100 embedded; pass shared by 2 units: .*img\/s\); overall 200\/200 images/m);
    expect(first.stderr).toMatch(/^done in .*: 2 unit\(s\) computed; 200 image\(s\) embedded, 0 from the cache; 2 result\(s\) in .*my results$/m);
    expect(first.stderr).toContain(`next: zeroshift report ${JSON.stringify(out)}`);
    expect(first.stdout).toMatch(/shapes-standard\s+none\s+shapes-shape/);
    const again = await cli(args);
    expect(again.stderr).toMatch(/^\[1\/2\] none · shapes-standard · tiny-clip-shapes: 100\/100 images \(cached; pass shared by 2 units: [\d.]+ s, cached\)/m);
    expect(again.stderr).toMatch(/0 image\(s\) embedded, 200 from the cache/);
  });

  it('lanes that differ only in their text shift read one stream: its images are counted once', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-progress-text-'));
    const r = await cli(['eval', '--dataset', 'shapes:standard?n=50', '--text-shift', 'typo:1', '--prompts', 'shapes-shape', '--out', join(tmp, 'out'), '--no-cache']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^\[1\/2\] none · shapes-standard · tiny-clip-shapes: 50\/50 images \(50 embedded; pass shared by 2 units/m);
    expect(r.stderr).toMatch(/^\[2\/2\] none \+ text typo:1 · shapes-standard · tiny-clip-shapes: 50\/50 images \(images of the unit without text shift; pass shared by 2 units/m);
    expect(r.stderr).toMatch(/^done in .*: 2 unit\(s\) computed; 50 image\(s\) embedded, 0 from the cache; 2 result\(s\)/m);
  });
});
