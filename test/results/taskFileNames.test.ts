/** Task result file names carry the dtype and execution provider as classification results do. */
import { describe, expect, it } from 'vitest';
import { taskResultFileName } from '../../src/results/store.js';
import type { TaskResult } from '../../src/results/envelope.js';

const result = (model: Partial<TaskResult['model']>): Parameters<typeof taskResultFileName>[0] =>
  ({ task: 'zeroshot_retrieval', model: { name: 'm', dtype: 'fp32', ...model }, dataset: { name: 'flickr30k' }, shift: null, id: '0123456789abcdef' }) as unknown as Parameters<typeof taskResultFileName>[0];

describe('task result file names', () => {
  it('name the dtype unless fp32 and the provider unless cpu; fp32 on cpu keeps its name, and the legacy name drops both', () => {
    expect(taskResultFileName(result({}))).toBe('task-zeroshot_retrieval__m__flickr30k__01234567.json');
    expect(taskResultFileName(result({ dtype: 'q8' }))).toBe('task-zeroshot_retrieval__m-q8__flickr30k__01234567.json');
    expect(taskResultFileName(result({ dtype: 'q8', executionProvider: 'cuda' }))).toBe('task-zeroshot_retrieval__m-q8-cuda__flickr30k__01234567.json');
    expect(taskResultFileName(result({ dtype: 'q8', executionProvider: 'cuda' }), true)).toBe('task-zeroshot_retrieval__m__flickr30k__01234567.json');
  });
});
