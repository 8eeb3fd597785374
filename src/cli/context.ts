import type { Logger } from '../util/log.js';

/** What every command gets from the entry point. */
export interface CliContext {
  log: Logger;
  /** Writes to stdout (results, JSON); everything else goes to stderr via `log`. */
  out(text: string): void;
  verbose: boolean;
  /** The command line as given, recorded in results. */
  argv: string[];
}
