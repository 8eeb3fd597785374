import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const FIXTURES = join(PACKAGE_ROOT, 'test/fixtures/tiny-clip-shapes');
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as {
  text_embeds: Record<string, number[]>;
  image_embeds: Record<string, number[]>;
};
const tmp = mkdtempSync(join(tmpdir(), 'zs-embed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const run = cli;

interface Line { type: 'image' | 'text'; input: string; embedding: number[] }
const parse = (text: string): Line[] => text.trim().split('\n').map((l) => JSON.parse(l) as Line);
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('zeroshift embed', () => {
  const image = join(FIXTURES, 'reference-images/scenes/sketch-00001.png');
  const texts = ['a photo of a red circle.', '{}'];

  it('prints images then texts as JSON lines matching the PyTorch embeddings', async () => {
    const { code, stdout } = await run(['embed', '--text', texts[0], '--image', image, '--text', texts[1]]);
    expect(code).toBe(0);
    const lines = parse(stdout);
    expect(lines.map((l) => [l.type, l.input])).toEqual([['image', image], ['text', texts[0]], ['text', texts[1]]]);
    for (const l of lines) expect(Math.sqrt(dot(l.embedding, l.embedding))).toBeCloseTo(1, 5);
    expect(dot(lines[0].embedding, reference.image_embeds['sketch-00001.png'])).toBeGreaterThanOrEqual(0.9999);
    expect(dot(lines[1].embedding, reference.text_embeds[texts[0]])).toBeGreaterThanOrEqual(0.99999);
    expect(dot(lines[2].embedding, reference.text_embeds['{}'])).toBeGreaterThanOrEqual(0.99999);
  });

  it('writes to --out instead of stdout', async () => {
    const out = join(tmp, 'sub/emb.jsonl');
    const { code, stdout } = await run(['embed', '--text', 'a purple star', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const [line] = parse(readFileSync(out, 'utf8'));
    expect(dot(line.embedding, reference.text_embeds['a purple star'])).toBeGreaterThanOrEqual(0.99999);
  });

  it('exits 2 with nothing to embed or a missing image', async () => {
    const empty = await run(['embed']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/nothing to embed/);
    const missing = await run(['embed', '--image', join(tmp, 'gone.png')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('gone.png');
  });
});
