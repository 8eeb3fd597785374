import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

function xdgBase(env: Env, variable: string, fallback: string[]): string {
  const xdg = nonEmpty(env[variable]);
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg !== undefined && isAbsolute(xdg)) return xdg;
  return join(homedir(), ...fallback);
}

/**
 * The per-user data directory where `zeroshift prepare` lays out datasets:
 * `--data-dir DIR` > env `ZEROSHIFT_DATA_DIR` > `$XDG_DATA_HOME/zeroshift` > `~/.local/share/zeroshift`.
 * Returns an absolute path; nothing is created.
 */
export function resolveDataDir(flag?: string, env: Env = process.env): string {
  const chosen = nonEmpty(flag) ?? nonEmpty(env.ZEROSHIFT_DATA_DIR);
  if (chosen !== undefined) return resolve(chosen);
  return join(xdgBase(env, 'XDG_DATA_HOME', ['.local', 'share']), 'zeroshift');
}

/**
 * The embedding cache directory: env `ZEROSHIFT_CACHE_DIR` > `$XDG_CACHE_HOME/zeroshift` > `~/.cache/zeroshift`.
 * Returns an absolute path; nothing is created.
 */
export function defaultCacheDir(env: Env = process.env): string {
  const chosen = nonEmpty(env.ZEROSHIFT_CACHE_DIR);
  if (chosen !== undefined) return resolve(chosen);
  return join(xdgBase(env, 'XDG_CACHE_HOME', ['.cache']), 'zeroshift');
}
