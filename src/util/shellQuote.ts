/**
 * Quotes one argument for a POSIX shell: words of safe characters stay as they are, anything
 * else is wrapped in single quotes (a single quote inside becomes '\''). A printed resume
 * command with a path holding a space or `&` ran something else when pasted.
 */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line that a POSIX shell splits back into exactly `argv`. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
