import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataset } from '../../src/prepare/prepare.js';
import { resolveDataset } from '../../src/prepare/resolve.js';
import { readMarker } from '../../src/prepare/marker.js';
import { datasetsForSuite } from '../../src/prepare/manifest.js';
import { openDataset } from '../../src/datasets/registry.js';
import { loadDatacompTaskList } from '../../src/eval/datacomp.js';
import { planDatacompTasks } from '../../src/eval/datacompSuite.js';
import type { Sample } from '../../src/datasets/types.js';
import { buildTar, startLoopbackServer, type LoopbackServer } from './fixtures.js';

/** A 1-D int64 .npy as numpy.save writes it. */
function npy(values: number[]): Buffer {
  let header = `{'descr': '<i8', 'fortran_order': False, 'shape': (${values.length},), }`;
  header += `${' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
  const body = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => body.writeBigInt64LE(BigInt(v), 8 * i));
  return Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, header.length, 0]), Buffer.from(header, 'latin1'), body]);
}

/** DataComp's mirrors: classnames, templates, nshards and shards of image + .cls + .npy metadata. */
function mirror(id: string, fields: number[][]): Record<string, Buffer> {
  const base = `/${id}`;
  return {
    [`${base}/classnames.txt`]: Buffer.from('a\nb\n'),
    [`${base}/zeroshot_classification_templates.txt`]: Buffer.from('a photo of a {c}.\n'),
    [`${base}/test/nshards.txt`]: Buffer.from('1\n'),
    [`${base}/test/0.tar`]: buildTar(fields.flatMap((f, i) => [
      { name: `s${i}.webp`, data: `image-${i}` },
      { name: `s${i}.cls`, data: `${i % 2}` },
      { name: `s${i}.npy`, data: npy(f) },
    ])),
  };
}

let server: LoopbackServer;
let dataDir: string;
beforeEach(async () => {
  server = await startLoopbackServer({
    ...mirror('datacomp/fmow', [[0, 2012, 1], [5, 2016, 0]]),
    ...mirror('datacomp/dollar_street', [[3, 120, 2], [1, 40, 0]]),
    ...mirror('datacomp/geode', [[4, 17], [2, 9]]),
    ...mirror('datacomp/caltech101', [[0], [1]]),
  });
  dataDir = mkdtempSync(join(tmpdir(), 'zs-datacomp-prep-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('prepare entries for DataComp\'s FMoW, Dollar Street and GeoDE mirrors', () => {
  it('install in DataComp\'s layout with their metadata fields, where eval --suite datacomp-38 finds them', async () => {
    const planned = planDatacompTasks(loadDatacompTaskList(), 'datacomp-38.json', dataDir);
    const want: Record<string, { task: string; meta: Record<string, number> }> = {
      'datacomp/fmow': { task: 'wilds/fmow', meta: { region: 0, year: 2012, y: 1 } },
      'datacomp/dollar_street': { task: 'fairness/dollar_street', meta: { income_ds: 3, income_meta: 120, region: 2 } },
      'datacomp/geode': { task: 'fairness/geode', meta: { region: 4, country: 17 } },
    };
    for (const [id, w] of Object.entries(want)) {
      const out = await prepareDataset(id, { dataDir, mirror: server.baseUrl, trustUnverified: true });
      expect(out.result).toBe('downloaded');
      const spec = resolveDataset(id, dataDir).spec;
      const p = planned.find((x) => x.task.id === w.task)!;
      expect(p.prepare).toBe(`zeroshift prepare ${id} --data-dir ${dataDir} --trust-unverified`);
      // The planned spec is the prepared one: same directory, same metadata fields.
      expect(p.spec).toBe(spec);
      const dir = spec.slice('wds:'.length).split('?')[0] ?? '';
      expect(readMarker(dir)?.files.map((f) => f.name)).toContain('test/0.tar');
      const d = await openDataset(spec);
      const samples: Sample[] = [];
      for await (const s of d.samples()) samples.push(s);
      expect(samples[0].metadata).toMatchObject(w.meta);
    }
  });
});

describe('prepare entries for every task of eval --suite datacomp-38', () => {
  it('each runnable task names an entry (or a retrieval mirror) that installs exactly the spec the suite plans, and the manifest suite lists them all', () => {
    const planned = planDatacompTasks(loadDatacompTaskList(), 'datacomp-38.json', dataDir).filter((p) => p.spec !== null);
    // 38 tasks less WinoGAViL (not run by zeroshift).
    expect(planned).toHaveLength(37);
    const suite = datasetsForSuite('datacomp-38');
    for (const p of planned) {
      const id = /^zeroshift prepare (\S+) --data-dir (\S+) --trust-unverified$/.exec(p.prepare)?.[1];
      expect(id, `${p.task.id}: ${p.prepare}`).toBeDefined();
      expect(resolveDataset(id!, dataDir).spec).toBe(p.spec);
      expect(suite).toContain(id);
    }
    expect(suite).toHaveLength(37);
    // Without --data-dir the command prepares into the same default dir eval reads.
    const defaults = planDatacompTasks(loadDatacompTaskList(), 'datacomp-38.json', undefined).filter((p) => p.spec !== null);
    for (const p of defaults) expect(p.prepare).toMatch(/^zeroshift prepare \S+ --trust-unverified$/);
  });

  it('a VTAB task installs from its mirror and reads as a classification WebDataset', async () => {
    const out = await prepareDataset('datacomp/caltech101', { dataDir, mirror: server.baseUrl, trustUnverified: true });
    expect(out.result).toBe('downloaded');
    const d = await openDataset(resolveDataset('datacomp/caltech101', dataDir).spec);
    expect(d.classNames).toEqual(['a', 'b']);
    const labels: number[] = [];
    for await (const s of d.samples()) labels.push(s.label);
    expect(labels).toEqual([0, 1]);
  });
});
