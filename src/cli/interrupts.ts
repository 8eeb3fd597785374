import type { CliContext } from './context.js';
import { ZeroshiftError } from '../errors.js';
import { shellCommand } from '../util/shellQuote.js';

/**
 * Runs `work` with an AbortSignal that SIGINT/SIGTERM trip: the run stops cleanly after the
 * current batch (finished embeddings are already in the cache) and says how to resume. A
 * second signal exits at once.
 */
export async function withInterrupts<T>(ctx: CliContext, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count++;
    if (count > 1) process.exit(130);
    ctx.log.warn(`${sig}: stopping after the current batch (send again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } catch (e) {
    if (controller.signal.aborted) {
      throw new ZeroshiftError('INTERRUPTED', 'interrupted; finished work is saved', {
        hint: `run the same command again to resume from the cache: ${shellCommand(ctx.argv)}`,
        cause: e,
      });
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
