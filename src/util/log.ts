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
