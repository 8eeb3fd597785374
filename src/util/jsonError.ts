/**
 * JSON parse errors without the text that failed. V8's messages quote the start of the input
 * (`Unexpected token 'h', "hello world" is not valid JSON`), so a file that is not JSON (a
 * secret a hostile path pointed at) would have its first line printed. Only the position stays.
 */
import { readFile } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';

/** The reason a JSON.parse (or a read) failed, with any quoted input text removed. */
export function jsonErrorReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (!(e instanceof SyntaxError)) return message;
  const position = /at position (\d+)/.exec(message);
  if (/Unexpected end of JSON input/.test(message)) return 'unexpected end of JSON input';
  return `not valid JSON${position ? ` at position ${position[1]}` : ''}`;
}

/**
 * JSON.parse of one line, whose error names `where` (`file:line`) and never the line's text.
 * @throws ZeroshiftError('INPUT') when the line is not JSON.
 */
export function parseJsonLine(line: string, where: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch (e) {
    throw new ZeroshiftError('INPUT', `${where}: ${jsonErrorReason(e)}`);
  }
}

/**
 * Reads and parses one JSON file, for callers that validate its shape next.
 * @throws ZeroshiftError('INPUT') `FILE: not a readable JSON <what> (reason)`, never quoting the file.
 */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (e) {
    throw new ZeroshiftError('INPUT', `${file}: not a readable JSON ${what} (${jsonErrorReason(e)})`);
  }
}
