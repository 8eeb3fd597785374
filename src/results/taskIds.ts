/**
 * The tasks beyond zero-shot classification, apart from their zod records (`results/tasks/<task>.ts`) so
 * the CLI can list them in --help without loading zod at start-up.
 */
export const TASKS = ['zeroshot_retrieval', 'linear_probe', 'multilabel', 'zeroshot_ood', 'image_caption_selection'] as const;
export type TaskId = (typeof TASKS)[number];
