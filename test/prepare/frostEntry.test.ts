import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findFrostDir } from '../../src/eval/shiftAssets.js';
import { findDataset, shippedManifest } from '../../src/prepare/manifest.js';
import { prepareDataset } from '../../src/prepare/prepare.js';
import { FROST_LAYOUT_DIR, FROST_PHOTOS, FROST_PREPARE_ID } from '../../src/shifts/frost.js';
import { loopbackManifest, startLoopbackServer, type LoopbackServer } from './fixtures.js';

describe('the imagenet-c-frost prepare entry', () => {
  it('downloads the six published files with their published sha256 into the directory frost reads', () => {
    const entry = findDataset(FROST_PREPARE_ID);
    expect(entry.kind).toBe('download');
    expect(entry.layoutDir).toBe(FROST_LAYOUT_DIR);
    if (entry.kind !== 'download') return;
    expect(entry.files.map((f) => [f.fileName, f.checksum?.algorithm, f.checksum?.value])).toEqual(FROST_PHOTOS.map((p) => [p.name, 'sha256', p.sha256]));
    for (const f of entry.files) expect(f.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/hendrycks\/robustness\/[0-9a-f]{40}\/ImageNet-C\/imagenet_c\/imagenet_c\/frost\//);
  });

  describe('through prepare (loopback server, stand-in bytes)', () => {
    let server: LoopbackServer;
    let dataDir: string;
    const files = Object.fromEntries(FROST_PHOTOS.map((p, i) => [`/${FROST_PREPARE_ID}/${p.name}`, Buffer.from(`stand-in ${i}`)]));
    beforeEach(async () => {
      server = await startLoopbackServer(files);
      dataDir = mkdtempSync(join(tmpdir(), 'zs-frost-prepare-'));
    });
    afterEach(async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('lays the photographs out where eval looks for them', async () => {
      const manifest = loopbackManifest(shippedManifest(), server.baseUrl, files);
      const out = await prepareDataset(FROST_PREPARE_ID, { dataDir, manifest, retry: { sleep: async () => undefined, baseDelayMs: 1 } });
      expect(out.result).toBe('downloaded');
      const dir = findFrostDir(undefined, dataDir, {});
      expect(dir).toBe(join(dataDir, FROST_LAYOUT_DIR));
      expect(readFileSync(join(dir!, 'frost4.jpg'), 'utf8')).toBe('stand-in 3');
    });
  });
});
