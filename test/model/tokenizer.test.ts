import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

describe('loadTokenizer (an OpenCLIP model with a Hugging Face XLM-R tokenizer)', () => {
  // open_clip's xlm-roberta-* models: the HF tokenizer's model_max_length is 512, but open_clip
  // tokenizes to its text config's context_length (absent: 77), padded with <pad> to that length.
  const FIXTURE = join(PACKAGE_ROOT, 'test/fixtures/families/tiny-jina-clip-v2');
  const ref = JSON.parse(readFileSync(join(FIXTURE, 'reference.json'), 'utf8')) as { texts: string[]; ids: number[][] };
  const dir = mkdtempSync(join(tmpdir(), 'zs-xlmr-openclip-'));
  copyFileSync(join(FIXTURE, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  const tokenizerConfig = JSON.parse(readFileSync(join(FIXTURE, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...tokenizerConfig, model_max_length: 512 }));
  const textCfg = { hf_model_name: 'xlm-roberta-base', hf_tokenizer_name: 'xlm-roberta-base', hf_pooler_type: 'mean_pooler' };
  const files = (cfg: Record<string, unknown>) => {
    writeFileSync(join(dir, 'open_clip_config.json'), JSON.stringify({ model_cfg: { embed_dim: 8, text_cfg: cfg } }));
    return { tokenizer: join(dir, 'tokenizer.json'), tokenizerConfig: join(dir, 'tokenizer_config.json'), openClipConfig: join(dir, 'open_clip_config.json') };
  };

  it("takes open_clip's context length (default 77), not model_max_length, and pads to it with <pad>", () => {
    const tok = loadTokenizer(files(textCfg), { padding: 'max_length' });
    expect(tok.contextLength).toBe(77);
    const padId = tok.padId;
    expect(padId).not.toBe(tok.eosId);
    const { ids } = tok.encode(ref.texts);
    ids.forEach((row, i) => {
      expect(row).toHaveLength(77);
      expect(Array.from(row.slice(0, ref.ids[i].length))).toEqual(ref.ids[i]);
      expect(Array.from(row.slice(ref.ids[i].length)).every((x) => x === padId)).toBe(true);
    });
    expect(loadTokenizer(files({ ...textCfg, context_length: 52 })).contextLength).toBe(52);
    rmSync(dir, { recursive: true, force: true });
  });
});
