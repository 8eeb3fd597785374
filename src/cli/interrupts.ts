import type { CliContext } from './context.js';
import { ZeroshiftError } from '../errors.js';
import { shellCommand } from '../util/shellQuote.js';

/** What a command tells `withInterrupts` about its run. */
export interface InterruptOptions {
  /** Called before the warning is printed: end progress bars so the line does not land inside one. */
  onSignal?(): void;
  /** What the stopped run kept (`2 result(s) written; 1,234 new embedding(s) in the cache`), for the last line. */
  kept?(): string;
}

/**
 * Runs `work` with an AbortSignal that SIGINT/SIGTERM trip: the run stops at the next batch
 * boundary (between one lane's inference and the next), its finished embeddings stored in the
 * cache, and the command fails with exit 130 on one line saying what was kept, and how to resume.
 * A second signal exits at once.
 */
export async function withInterrupts<T>(ctx: CliContext, work: (signal: AbortSignal) => Promise<T>, options: InterruptOptions = {}): Promise<T> {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count++;
    if (count > 1) process.exit(130);
    options.onSignal?.();
    ctx.log.warn(`${sig}: stopping after the current batch (send again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } catch (e) {
    if (controller.signal.aborted) {
      const kept = options.kept?.();
      throw new ZeroshiftError('INTERRUPTED', `interrupted${kept ? `: ${kept}` : '; finished work is saved'}`, {
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

/**
 * What an interrupted run kept: the units it finished (written whole) and the embeddings in the
 * cache: images, and texts (captions, classifier prompts) when the text tower ran, interrupted
 * in a text phase or not (each batch of texts, and each classifier, is stored as it is done).
 */
export function keptLine(units: number, embedded: number, out: string, cacheDir: string | null, texts = 0): string {
  const what = `${embedded} image embedding(s)${texts > 0 ? ` and ${texts} text embedding(s)` : ''}`;
  const cache = cacheDir === null ? `${what} computed but not kept (--no-cache)` : `${what} computed this run kept in the cache`;
  return `${units} finished unit(s) written to ${out}; ${cache}`;
}
