import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/model/loadModel.js';
import { embedTexts, openTextCache } from '../../src/embed/textEmbeddings.js';
import { memoryLogger } from '../../src/util/log.js';

/**
 * Retrieval, multi-label and caption selection embed their texts after the image stream; Ctrl-C
 * there stops between batches of the text tower, and the batches already embedded stay in the
 * cache, so the rerun embeds only the rest.
 */
describe('embedTexts under Ctrl-C', () => {
  it('stops before the next batch with INTERRUPTED, keeping the batches done', async () => {
    const model = await loadModel('tiny-clip-shapes');
    try {
      const cache = await openTextCache(await mkdtemp(join(tmpdir(), 'zs-texts-')), model, memoryLogger());
      const texts = Array.from({ length: 40 }, (_, i) => `a photo of shape number ${i}`);
      const controller = new AbortController();
      const done: number[] = [];
      await expect(embedTexts(model, texts, cache, {
        batchSize: 16, signal: controller.signal,
        onProgress: (n) => {
          done.push(n);
          controller.abort();
        },
      })).rejects.toMatchObject({ code: 'INTERRUPTED', message: 'stopped embedding texts after 16 of 40' });
      expect(done).toEqual([16]);
      const again = await embedTexts(model, texts, cache, { batchSize: 16 });
      expect(again).toMatchObject({ computed: 24, cached: 16 });
      await cache.close();
    } finally {
      await model.dispose();
    }
  });
});
