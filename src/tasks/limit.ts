/** `--limit` lives with the datasets (zero-shot classification uses it too); re-exported for the tasks. */
export { limitDataset, type LimitInfo } from '../datasets/limit.js';
