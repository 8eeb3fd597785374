import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/model/tokenizer.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const MODEL = join(PACKAGE_ROOT, 'models/tiny-clip-shapes');
const reference = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test/fixtures/tiny-clip-shapes/reference.json'), 'utf8')) as {
  tokenizer_cases: { text: string; ids: number[]; ids_truncated_77: number[] }[];
};

describe('withPadding', () => {
  it('re-pads without rebuilding, as a tokenizer loaded with that padding does', () => {
    const files = { tokenizer: join(MODEL, 'tokenizer.json'), tokenizerConfig: join(MODEL, 'tokenizer_config.json') };
    const texts = ['a photo of a circle.', 'a star'];
    const longest = loadTokenizer(files, { padding: 'longest' });
    const repadded = longest.withPadding('max_length');
    expect(repadded.padding).toBe('max_length');
    expect(repadded.encode(texts)).toEqual(loadTokenizer(files, { padding: 'max_length' }).encode(texts));
    expect(repadded.withPadding('longest').encode(texts)).toEqual(longest.encode(texts));
    expect(longest.encode(texts).ids[0].length).toBeLessThan(repadded.encode(texts).ids[0].length);
  });
});

describe('loadTokenizer (CLIP BPE)', () => {
  const warnings: string[] = [];
  const tok = loadTokenizer({ tokenizer: join(MODEL, 'tokenizer.json'), tokenizerConfig: join(MODEL, 'tokenizer_config.json') }, { onWarning: (m) => warnings.push(m) });

  it('reads the context length, EOS and pad ids from tokenizer_config.json', () => {
    expect(tok.contextLength).toBe(77);
    expect(tok.eosId).toBe(49407);
    expect(tok.padId).toBe(49407);
  });

  it.each(reference.tokenizer_cases.map((c) => [JSON.stringify(c.text).slice(0, 40), c]))('matches the reference ids for %s', (_n, c) => {
    const [row] = tok.tokenize([c.text]);
    expect(row).toHaveLength(77);
    const kept = c.ids_truncated_77;
    expect(row.slice(0, kept.length)).toEqual(kept);
    expect(row.slice(kept.length).every((v) => v === 49407)).toBe(true);
    if (c.ids.length <= 77) expect(kept).toEqual(c.ids);
  });

  it('keeps EOS last when truncating and warns once per distinct prompt', () => {
    warnings.length = 0;
    const long = Array.from({ length: 120 }, (_, i) => `w${i}`).join(' ');
    const rows = tok.tokenize([long, long, 'short']);
    expect(rows[0][76]).toBe(49407);
    expect(rows[0][0]).toBe(49406);
    expect(rows[1]).toEqual(rows[0]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/truncated to 77 tokens/);
  });
});
