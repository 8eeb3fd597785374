/**
 * Where the Hub cache lives and how to reach the Hub, from the same environment variables
 * huggingface_hub reads, so both share one cache and one login.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The public Hub. */
export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/** Everything the Hub client needs; built once at the CLI boundary, never read from globals below it. */
export interface HubConfig {
  /** The hub cache directory (holds `models--ORG--NAME/`). */
  cacheDir: string;
  /** Endpoint without a trailing slash. */
  endpoint: string;
  /** Sent as `Authorization: Bearer`; never printed or recorded. */
  token?: string;
  /** No network at all: everything must already be in the cache. */
  offline: boolean;
  /** False where symlinks cannot be made (or HF_HUB_DISABLE_SYMLINKS): snapshots hold copies. */
  symlinks: boolean;
}

// huggingface_hub's constants._is_true.
const TRUE_VALUES = new Set(['1', 'ON', 'YES', 'TRUE']);
function isTrue(v: string | undefined): boolean {
  return v !== undefined && TRUE_VALUES.has(v.toUpperCase());
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p.startsWith('~') ? join(env.HOME ?? homedir(), p.slice(1)) : p;
}

/** HF_HOME, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`. */
export function hfHome(env: NodeJS.ProcessEnv): string {
  if (env.HF_HOME) return expandHome(env.HF_HOME, env);
  return join(env.XDG_CACHE_HOME ? expandHome(env.XDG_CACHE_HOME, env) : join(env.HOME ?? homedir(), '.cache'), 'huggingface');
}

/** HF_HUB_CACHE, else the legacy HUGGINGFACE_HUB_CACHE, else `HF_HOME/hub`. */
export function hubCacheDir(env: NodeJS.ProcessEnv): string {
  const explicit = env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE;
  return explicit ? expandHome(explicit, env) : join(hfHome(env), 'hub');
}

/** HF_TOKEN (or the legacy HUGGING_FACE_HUB_TOKEN), else the file `hf auth login` writes. */
function readToken(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN;
  if (fromEnv) return fromEnv.trim();
  const file = env.HF_TOKEN_PATH ? expandHome(env.HF_TOKEN_PATH, env) : join(hfHome(env), 'token');
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Hub settings from environment variables: HF_HUB_CACHE / HF_HOME, HF_ENDPOINT,
 * HF_TOKEN, HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE), HF_HUB_DISABLE_SYMLINKS.
 * `overrides.offline` (the --offline flag) can only turn offline mode on.
 */
export function hubConfigFromEnv(env: NodeJS.ProcessEnv, overrides: { offline?: boolean } = {}): HubConfig {
  return {
    cacheDir: hubCacheDir(env),
    endpoint: (env.HF_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/+$/, ''),
    token: readToken(env),
    offline: overrides.offline === true || isTrue(env.HF_HUB_OFFLINE || env.TRANSFORMERS_OFFLINE),
    symlinks: !isTrue(env.HF_HUB_DISABLE_SYMLINKS),
  };
}
