/** Callbacks the CLI uses for progress bars. */
export interface PlanProgress {
  /** Before the first unit: how many units and (when every size is known) images the run has. */
  planStarted?(units: number, images: number | undefined): void;
  /** Label shift first (`fog:3 · shapes-standard · model`); `pass`: a task's own pass (probe train split, OOD set), no unit. */
  unitStarted(label: string, total?: number, how?: { pass?: boolean }): void;
  unitProgress(done: number, total?: number, counts?: { computed: number; cached: number }): void;
  /**
   * `reused`: --skip-existing found the unit's results, nothing ran. Units streamed together
   * (one dataset pass for several models and shifts) share one unitStarted/unitProgress and
   * then finish one by one, each with its own `label` and image `counts`.
   */
  /** Texts the text tower just embedded (captions, prompts; cache hits not counted), as each batch or classifier is done: an interrupted run counts them as kept. */
  textsEmbedded?(count: number): void;
  unitFinished(how?: { reused?: boolean; pass?: boolean; total?: number; label?: string; counts?: { computed: number; cached: number; shared?: number } }): void;
}
