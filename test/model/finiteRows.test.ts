import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertFiniteRows, firstNonFiniteRow } from '../../src/model/finiteRows.js';
import { cli, filesUnder } from '../helpers/cli.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-finite-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** tiny-clip-shapes with its preprocessor_config.json changed by `edit`. */
function modelWith(name: string, edit: (cfg: Record<string, unknown>) => void): string {
  const dir = join(tmp, name);
  cpSync(join(PACKAGE_ROOT, 'models/tiny-clip-shapes'), dir, { recursive: true });
  const file = join(dir, 'preprocessor_config.json');
  const cfg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(cfg);
  writeFileSync(file, JSON.stringify(cfg));
  return dir;
}

describe('non-finite tower outputs', () => {
  it('finds the first row holding NaN or Inf', () => {
    expect(firstNonFiniteRow(new Float32Array([1, 2, 3, 4]), 2, 2)).toBe(-1);
    expect(firstNonFiniteRow(new Float32Array([1, 2, 3, Infinity, NaN, 0]), 3, 2)).toBe(1);
    expect(() => assertFiniteRows(new Float32Array([0, 1, NaN, 0, -Infinity, 1]), 3, 2, { tower: 'vision', path: 'v.onnx', itemOf: (i) => `item '${['a', 'b', 'c'][i]}'` }))
      .toThrow(/v\.onnx: the vision tower's output for item 'b' holds NaN or Inf \(2 of 3 item\(s\) in its batch\)/);
  });

  it('eval with image_std [0, 0, 0] exits 2 naming the vision tower and the first item, and writes no result', async () => {
    const model = modelWith('zero-std', (cfg) => { cfg.image_std = [0, 0, 0]; });
    const out = join(tmp, 'out');
    const r = await cli(['eval', '--model', model, '--dataset', 'shapes:standard?n=8', '--out', out, '--cache-dir', join(tmp, 'cache'), '--no-progress']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/vision_model\.onnx: the vision tower's output for .+ holds NaN or Inf/);
    expect(r.stderr).toMatch(/image_std \[0, 0, 0\]: normalising divides by that zero/);
    expect((await filesUnder(out)).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('embed exits 2 naming the image file whose embedding is not finite (it named a row number)', async () => {
    const model = modelWith('zero-std-embed', (cfg) => { cfg.image_std = [0, 0, 0]; });
    const image = join(PACKAGE_ROOT, 'test/fixtures/tiny-clip-shapes/reference-images/scenes/standard-00002.png');
    const r = await cli(['embed', '--model', model, '--image', image, '--image', image, '--threads', '1']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`the vision tower's output for ${image} holds NaN or Inf (2 of 2 item(s) in its batch)`);
  });

  it('verify reports it on its outputs line and exits 2', async () => {
    const model = modelWith('zero-std-verify', (cfg) => { cfg.image_std = [0, 0, 0]; });
    const r = await cli(['verify', model, '--threads', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/outputs +.*vision_model\.onnx: the vision tower's output for a mid-grey 64x64 image holds NaN or Inf/);
    const ok = await cli(['verify', join(PACKAGE_ROOT, 'models/tiny-clip-shapes'), '--threads', '1']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/outputs +text and vision towers give finite embeddings/);
  });
});
