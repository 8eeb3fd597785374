import { describe, expect, it } from 'vitest';
import { streamProgress } from '../../src/hub/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { text: '', isTTY, columns: 120, write(chunk: string) { s.text += chunk; return true; }, cursorTo() { return true; }, clearLine() { return true; }, moveCursor() { return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('streamProgress', () => {
  it('off a terminal, prints plain lines with bytes, percentage and rate', () => {
    const s = fakeStream(false);
    const p = streamProgress(s, 0);
    p.start('acme/clip', 2_000_000);
    p.update(500_000);
    p.stop();
    expect(s.text).toMatch(/^acme\/clip: 500\.0 kB of 2\.0 MB \(25%, [\d.]+ [kMG]?B\/s\)\n$/);
  });

  it('on a terminal, draws a bar with bytes, rate and ETA', () => {
    const s = fakeStream(true);
    const p = streamProgress(s);
    p.start('acme/clip', 2_000_000);
    p.update(1_000_000);
    p.stop();
    expect(s.text).toMatch(/acme\/clip .*50% \| 1\.0 MB of 2\.0 MB \| [\d.]+ [kMG]?B\/s \| ETA /);
  });

  it('says nothing when there is nothing to download', () => {
    const s = fakeStream(false);
    const p = streamProgress(s, 0);
    p.start('acme/clip', 0);
    p.update(0);
    p.stop();
    expect(s.text).toBe('');
  });
});
