import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPredictions, readResult } from '../../src/results/store.js';
import { RESULT_SCHEMA_VERSION } from '../../src/results/schema.js';
import { findVariant, variantProtocol } from '../../src/datasets/families.js';
import { objectnetToImagenet } from '../../src/datasets/subsets.js';
import { syntheticResults } from '../report/syntheticResults.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A version-1 file as zeroshift 0.1 wrote it: no scoring protocol, no model.scoring, no `correct`. */
function writeV1(over: (r: Record<string, any>) => void = () => undefined): string {
  dir = mkdtempSync(join(tmpdir(), 'zeroshift-v1-'));
  const { result, predictions } = syntheticResults(3, 24)[1];
  const v1: Record<string, any> = JSON.parse(JSON.stringify(result));
  v1.schemaVersion = 1;
  delete v1.scoringProtocol;
  delete v1.model.scoring;
  v1.predictionsFile = 'r.predictions.jsonl';
  over(v1);
  writeFileSync(join(dir, 'r.json'), JSON.stringify(v1));
  writeFileSync(join(dir, 'r.predictions.jsonl'), predictions.map(({ correct: _c, ...p }) => JSON.stringify(p)).join('\n'));
  return join(dir, 'r.json');
}

describe('reading version-1 results', () => {
  it('upgrades a plain result: softmax scoring rule from logitScale, identity protocol, correct = top-1 equals label', async () => {
    const file = writeV1();
    const r = await readResult(file);
    expect(r.schemaVersion).toBe(RESULT_SCHEMA_VERSION);
    expect(r.model.scoring).toEqual({ rule: 'softmax', scale: 100, bias: 0 });
    expect(r.scoringProtocol).toEqual({ classColumns: null, labelColumns: null, crop: null });
    const preds = await readPredictions(file, r);
    expect(preds.length).toBe(24);
    for (const p of preds) expect(p.correct).toBe(p.top[0] === p.label);
  });

  it('rebuilds an ObjectNet result\'s many-to-one table from its per-class labels, without the crop v1 never applied', async () => {
    const folders = ['zz_other', ...[...objectnetToImagenet().keys()].map((n) => n.toLowerCase().replace(/[^a-z0-9]+/g, '_'))];
    const file = writeV1((v1) => {
      v1.dataset.family = 'imagenet';
      v1.dataset.variant = 'objectnet';
      // All items in the first folder, so the per-class counts still add up to the result's.
      const { n, acc1 } = v1.metrics as { n: number; acc1: number };
      v1.perClass = folders.map((name, index) => (index === 0 ? { index, name, n, correct: Math.round(acc1 * n), accuracy: acc1 } : { index, name, n: 0, correct: 0, accuracy: null }));
    });
    const r = await readResult(file);
    expect(r.scoringProtocol).toEqual({ ...variantProtocol(findVariant('objectnet').variant, folders), crop: null });
    expect(r.scoringProtocol.labelColumns![0]).toBeNull();
  });

  it('refuses a newer schema version and names the failing key of a broken v1 file', async () => {
    await expect(readResult(writeV1((v1) => (v1.schemaVersion = RESULT_SCHEMA_VERSION + 1)))).rejects.toThrow(/r\.json: result schemaVersion 3 is newer than this zeroshift reads/);
    await expect(readResult(writeV1((v1) => (v1.metrics.acc1 = 'high')))).rejects.toThrow(/r\.json: invalid result at 'metrics\.acc1'/);
  });
});
