import { describe, expect, it } from 'vitest';
import { ZeroshiftError } from '../../src/errors.js';
import { TASKS } from '../../src/results/taskIds.js';
import { defaultTaskFor, taskModule } from '../../src/tasks/registry.js';
import { zeroshotClassificationTask } from '../../src/tasks/zeroshotClassification.js';
import { TASK_CHOICES } from '../../src/cli/commands/evalTasks.js';

describe('task registry', () => {
  it('lists zero-shot classification as a task module with its own lane', () => {
    const m = taskModule('zeroshot_classification');
    expect(m).toBe(zeroshotClassificationTask);
    expect(m.needs).toBe('labelled');
    expect(m.splitsItems).toBe(true);
    expect(typeof m.openLane).toBe('function');
    expect(defaultTaskFor('labelled')).toBe('zeroshot_classification');
  });

  it('gives every result-envelope task the shared lane beside its own scorer', () => {
    for (const id of TASKS) {
      const m = taskModule(id);
      expect(m.id).toBe(id);
      expect(typeof m.openLane).toBe('function');
      expect(typeof m.open).toBe('function');
      expect(m.summary.columns.length).toBeGreaterThan(0);
    }
  });

  it('names every known task, zero-shot classification first, for an unknown id', () => {
    let caught: unknown;
    try {
      taskModule('zeroshot_clasification');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ZeroshiftError);
    expect((caught as ZeroshiftError).code).toBe('USAGE');
    const message = (caught as ZeroshiftError).message;
    expect(message).toMatch(/^unknown task 'zeroshot_clasification'; did you mean 'zeroshot_classification'\?; known tasks: /);
    const known = message.replace(/^.*known tasks: /, '').split(', ');
    expect(known[0]).toBe('zeroshot_classification');
    expect([...known].sort()).toEqual(['zeroshot_classification', ...TASKS].sort());
  });

  it('has a module for every --task choice but CLIP_benchmark\'s multilabel alias', () => {
    for (const id of TASK_CHOICES) if (id !== 'voc2007_multilabel') expect(taskModule(id).id).toBe(id);
    expect(TASK_CHOICES).toContain('zeroshot_classification');
  });
});
