export { PROMPT_SET_SCHEMA_VERSION, displayName, promptSetSchema, type ClassName, type PromptSet } from './schema.js';
export { checkTemplates, fillTemplate, hasPlaceholder } from './template.js';
export { checkClassNames, loadPromptSetFile, parsePromptSet } from './load.js';
export { clipBenchmarkDatasets, loadClipBenchmarkPrompts } from './clipBenchmark.js';
export {
  CLIP_BENCHMARK_PREFIX, SHIPPED_PROMPTS_DIR, getPromptSet, hasPromptSet, loadPromptSet, looksLikePath, promptSetIds,
} from './registry.js';
export { buildClassifier, promptHash, type BuildClassifierOptions, type EnsembleRule, type TextEncoder } from './classifier.js';
export { DEFAULT_TEMPLATE, selectPrompts, type PromptSelection, type PromptSelectionInput } from './select.js';
