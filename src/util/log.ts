/**
 * Library code never prints: it reports through a Logger that the CLI supplies (stderr)
 * and tests can capture.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, debug: () => {} };

/** A logger that collects messages; for tests. */
export function memoryLogger(): Logger & { messages: { level: string; message: string }[] } {
  const messages: { level: string; message: string }[] = [];
  return {
    messages,
    info: (m) => messages.push({ level: 'info', message: m }),
    warn: (m) => messages.push({ level: 'warn', message: m }),
    debug: (m) => messages.push({ level: 'debug', message: m }),
  };
}

/** A logger that passes each distinct warning on once (a run's units repeat the same ones per shift). */
export function warnOnce(log: Logger): Logger {
  const seen = new Set<string>();
  return {
    info: (m) => log.info(m),
    debug: (m) => log.debug(m),
    warn: (m) => {
      if (seen.has(m)) return;
      seen.add(m);
      log.warn(m);
    },
  };
}
