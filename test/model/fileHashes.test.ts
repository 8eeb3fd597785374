import { describe, it, expect } from 'vitest';
import { mkdtemp, writeFile, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFileCached, recordFileHashes } from '../../src/model/fileHashes.js';
import { sha256 } from '../../src/util/hash.js';

describe('hashFileCached', () => {
  it('persists digests under the cache dir and recomputes when the file changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-hash-'));
    const file = join(dir, 'tower.onnx');
    await writeFile(file, 'first');
    expect(await hashFileCached(file, join(dir, 'cache'))).toBe(sha256('first'));
    await expect(readdir(join(dir, 'cache'))).rejects.toThrow(); // nothing written until recorded
    await recordFileHashes(join(dir, 'cache'), [file]);
    expect(await readdir(join(dir, 'cache', 'file-hashes'))).toHaveLength(1);
    await writeFile(file, 'other');
    await utimes(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(await hashFileCached(file, join(dir, 'cache'))).toBe(sha256('other'));
    await recordFileHashes(join(dir, 'cache'), [file]);
    expect(await readdir(join(dir, 'cache', 'file-hashes'))).toHaveLength(2);
  });
});
