import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isZeroshiftError } from '../../src/errors.js';
import { legacyBaseName, keyOfResult, resultBaseName } from '../../src/results/paths.js';
import { migrateResultsDir, readPredictions, readResult, writeResult } from '../../src/results/store.js';
import { readShardManifest } from '../../src/results/shardManifest.js';
import { loadResults } from '../../src/report/loadResults.js';
import { makeResult } from '../report/resultFactory.js';
import { HAND, handResult, writeDir } from '../compare/pairFixture.js';
import { cli } from '../helpers/cli.js';

const SECRET = 'TOP-SECRET-LINE do not print me\nsecond line\n';
let tmp: string;
let out: string;
let victim: string;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zs-contained-'));
  out = join(tmp, 'out');
  mkdirSync(out);
  mkdirSync(join(tmp, 'victim'));
  victim = join(tmp, 'victim', 'secret.txt');
  writeFileSync(victim, SECRET);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** An old-style (name-only) result in `out` whose predictionsFile is `predictionsFile`. */
function hostileResult(predictionsFile: string): string {
  const r = makeResult({ model: 'm', prompts: 'p' });
  const file = join(out, `${legacyBaseName(keyOfResult(r))}.json`);
  writeFileSync(file, JSON.stringify({ ...r, predictionsFile }, null, 2));
  return file;
}

async function errorOf(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe('paths read from result files stay inside their directory', () => {
  it('migrating an old-style result never deletes, moves or copies a file outside --out', async () => {
    const file = hostileResult('../victim/secret.txt');
    await migrateResultsDir(out);
    expect(readFileSync(victim, 'utf8')).toBe(SECRET);
    // Nothing in out holds the secret, and the hostile result is left where it was.
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), 'utf8')).not.toContain('TOP-SECRET');
    expect(existsSync(file)).toBe(true);
  });

  it('an absolute predictionsFile is not deleted either, nor a sibling not named *.predictions.jsonl', async () => {
    hostileResult(victim);
    await migrateResultsDir(out);
    expect(readFileSync(victim, 'utf8')).toBe(SECRET);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    rmSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!));
    hostileResult('notes.txt');
    await migrateResultsDir(out);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('reading predictions through ../ is refused naming the result file, without the victim content', async () => {
    const file = hostileResult('../victim/secret.txt');
    const e = await errorOf(readPredictions(file, await readResult(file)));
    expect(isZeroshiftError(e) && e.code).toBe('INPUT');
    expect(e.message).toContain(file);
    expect(e.message).toContain('predictionsFile');
    expect(e.message).not.toContain('TOP-SECRET');
  });

  it('report loading refuses the result instead of reading outside its directory', async () => {
    const file = hostileResult('../victim/secret.txt');
    const e = await errorOf(loadResults([out]));
    expect(e.message).toContain(file);
    expect(e.message).not.toContain('TOP-SECRET');
  });

  it('a predictions file that is not JSON is reported by file and line, never by content', async () => {
    const file = hostileResult('x.predictions.jsonl');
    writeFileSync(join(out, 'x.predictions.jsonl'), SECRET);
    const e = await errorOf(readPredictions(file, await readResult(file)));
    expect(e.message).toContain('x.predictions.jsonl:1');
    expect(e.message).not.toContain('TOP-SECRET');
  });

  it('a result file that is not JSON is reported without its first line', async () => {
    const file = join(out, 'bad.json');
    writeFileSync(file, SECRET);
    const e = await errorOf(readResult(file));
    expect(e.message).toContain(file);
    expect(e.message).not.toContain('TOP-SECRET');
  });

  it("a merge manifest listing a result outside its directory is refused, naming the manifest and key", async () => {
    const manifest = {
      kind: 'zeroshift-shard-manifest', schemaVersion: 1, zeroshiftVersion: '0', createdAt: '', suite: null,
      plan: { hash: 'h', units: 1 }, shard: { index: 0, count: 1 }, units: [], results: ['ok.json', '../victim/secret.txt'], models: {},
    };
    writeFileSync(join(out, 'shard-manifest.json'), JSON.stringify(manifest));
    const e = await errorOf(readShardManifest(out));
    expect(isZeroshiftError(e) && e.code).toBe('MERGE');
    expect(e.message).toContain('shard-manifest.json');
    expect(e.message).toContain('results[1]');
  });

  it('compare refuses a result whose predictionsFile leaves its directory, exit 2, without the victim content', async () => {
    const a = await writeDir([handResult('model-a', HAND[0])]);
    const b = await writeDir([handResult('model-b', HAND[1])]);
    const file = join(b, readdirSync(b).find((f) => f.endsWith('.json'))!);
    const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...r, predictionsFile: `..${victim.slice(tmpdir().length)}` }));
    const out = await cli(['compare', a, b, '-o', join(a, 'cmp'), '--no-thumbnails']);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain(`${file}: predictionsFile`);
    expect(out.stderr).not.toContain('TOP-SECRET');
    expect(readFileSync(victim, 'utf8')).toBe(SECRET);
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  });

  it('rerunning a result whose file points its predictions elsewhere writes our own predictions beside it', async () => {
    const { result, predictions } = handResult('model-a', HAND[0]);
    const file = join(out, `${resultBaseName(keyOfResult(result))}.json`);
    writeFileSync(file, JSON.stringify({ ...result, predictionsFile: '../victim/secret.txt' }));
    await writeResult(out, structuredClone(result), predictions);
    const written = await readResult(file);
    expect(written.reusedAt).toBeDefined();
    expect(await readPredictions(file, written)).toHaveLength(predictions.length);
    expect(readFileSync(victim, 'utf8')).toBe(SECRET);
  });
});
