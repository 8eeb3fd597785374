import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { kernelFsRoot } from './writableDir.js';

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** `value` (from `source`) as an absolute path, refused under /proc, /sys or /dev: creating directories there never returned. */
function storagePath(value: string, source: string): string {
  const abs = resolve(value);
  const kernelFs = kernelFsRoot(abs);
  if (kernelFs) throw new ZeroshiftError('USAGE', `${source} ${value}: under ${kernelFs}, a kernel file system, not storage; give a directory on a normal disk`);
  return abs;
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
 * @throws ZeroshiftError('USAGE') for a path under a kernel file system (/proc, /sys, /dev).
 */
export function resolveDataDir(flag?: string, env: Env = process.env): string {
  const fromFlag = nonEmpty(flag);
  if (fromFlag !== undefined) return storagePath(fromFlag, '--data-dir');
  const chosen = nonEmpty(env.ZEROSHIFT_DATA_DIR);
  if (chosen !== undefined) return storagePath(chosen, 'ZEROSHIFT_DATA_DIR');
  return join(xdgBase(env, 'XDG_DATA_HOME', ['.local', 'share']), 'zeroshift');
}

/**
 * The embedding cache directory: env `ZEROSHIFT_CACHE_DIR` > `$XDG_CACHE_HOME/zeroshift` > `~/.cache/zeroshift`.
 * Returns an absolute path; nothing is created.
 */
export function defaultCacheDir(env: Env = process.env): string {
  const chosen = nonEmpty(env.ZEROSHIFT_CACHE_DIR);
  if (chosen !== undefined) return storagePath(chosen, 'ZEROSHIFT_CACHE_DIR');
  return join(xdgBase(env, 'XDG_CACHE_HOME', ['.cache']), 'zeroshift');
}
