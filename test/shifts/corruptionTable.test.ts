import { expect, it } from 'vitest';
import { corruptionTableMarkdown, nonMonotoneSeverities } from '../../src/shifts/corruptionTable.js';

it('renders a clean row, one row per corruption, mean and drop', () => {
  const md = corruptionTableMarkdown(0.9, [{ corruption: 'fog', family: 'weather', accuracies: [0.8, 0.7, 0.6, 0.5, 0.4] }]);
  const lines = md.trim().split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[2]).toBe('| (clean) | — | 90.0 | 90.0 | 90.0 | 90.0 | 90.0 | 90.0 | 0.0 |');
  expect(lines[3]).toBe('| fog | weather | 80.0 | 70.0 | 60.0 | 50.0 | 40.0 | 60.0 | 50.0 |');
});

it('rejects rows without five severities and finds rises in accuracy', () => {
  expect(() => corruptionTableMarkdown(1, [{ corruption: 'x', family: 'noise', accuracies: [1, 1] }])).toThrow(/expected 5/);
  expect(nonMonotoneSeverities({ corruption: 'x', family: 'noise', accuracies: [0.5, 0.2, 1, 0.9, 0.95] })).toEqual([3, 5]);
});
