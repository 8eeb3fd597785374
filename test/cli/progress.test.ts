import { describe, expect, it } from 'vitest';
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
    expect(first.stderr).toMatch(/^\[1\/2\] none · shapes-standard · tiny-clip-shapes: 100\/100 images/m);
    expect(first.stderr).toMatch(/^\[2\/2\] fog:2 · shapes-standard · tiny-clip-shapes: 100\/100 images.*img\/s/m);
    expect(first.stderr).toMatch(/^done in .*: 2 unit\(s\) computed; 200 image\(s\) embedded, 0 from the cache; 2 result\(s\) in .*my results$/m);
    expect(first.stderr).toContain(`next: zeroshift report ${JSON.stringify(out)}`);
    expect(first.stdout).toMatch(/shapes-standard\s+none\s+shapes-shape/);
    const again = await cli(args);
    expect(again.stderr).toMatch(/^\[1\/2\] none · shapes-standard · tiny-clip-shapes: 100\/100 images, .* \(cached\)/m);
    expect(again.stderr).toMatch(/0 image\(s\) embedded, 200 from the cache/);
  });
});
