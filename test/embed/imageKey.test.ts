import { expect, it } from 'vitest';
import { imageKey } from '../../src/embed/imageKey.js';

it('a shifted key names the parameter set: auto, a named set and another set are three keys', () => {
  const source = { kind: 'generated' as const, key: 'shapes:standard:1' };
  const key = (params?: 'scaled' | 'tiny-imagenet-c'): string => imageKey(source as never, null, { corruption: 'fog', severity: 3, params }, 'id-1');
  const keys = new Set([key(), key('scaled'), key('tiny-imagenet-c')]);
  expect(keys.size).toBe(3);
  expect(key('scaled')).toBe(key('scaled'));
  expect(imageKey(source as never, null, null, 'id-1')).not.toBe(key());
});
