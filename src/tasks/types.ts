import type { TaskResult } from '../results/taskSchema.js';

export type ProbeMetrics = NonNullable<TaskResult['metrics']>;
