import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubConfigFromEnv } from '../../src/hub/config.js';

describe('hubConfigFromEnv', () => {
  it('finds the cache as huggingface_hub does: HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME or ~/.cache', () => {
    expect(hubConfigFromEnv({ HOME: '/h' }).cacheDir).toBe('/h/.cache/huggingface/hub');
    expect(hubConfigFromEnv({ HOME: '/h', XDG_CACHE_HOME: '/x' }).cacheDir).toBe('/x/huggingface/hub');
    expect(hubConfigFromEnv({ HOME: '/h', HF_HOME: '~/hf' }).cacheDir).toBe('/h/hf/hub');
    expect(hubConfigFromEnv({ HOME: '/h', HF_HOME: '/hf', HUGGINGFACE_HUB_CACHE: '/legacy' }).cacheDir).toBe('/legacy');
    expect(hubConfigFromEnv({ HOME: '/h', HF_HOME: '/hf', HUGGINGFACE_HUB_CACHE: '/legacy', HF_HUB_CACHE: '/c' }).cacheDir).toBe('/c');
  });

  it('reads the endpoint, offline mode and symlink switch', () => {
    const base = hubConfigFromEnv({ HOME: '/nonexistent' });
    expect(base).toMatchObject({ endpoint: 'https://huggingface.co', offline: false, symlinks: true, token: undefined });
    expect(hubConfigFromEnv({ HOME: '/h', HF_ENDPOINT: 'http://127.0.0.1:8080/' }).endpoint).toBe('http://127.0.0.1:8080');
    for (const v of ['1', 'ON', 'yes', 'True']) expect(hubConfigFromEnv({ HOME: '/h', HF_HUB_OFFLINE: v }).offline).toBe(true);
    expect(hubConfigFromEnv({ HOME: '/h', HF_HUB_OFFLINE: '0' }).offline).toBe(false);
    expect(hubConfigFromEnv({ HOME: '/h', TRANSFORMERS_OFFLINE: '1' }).offline).toBe(true);
    expect(hubConfigFromEnv({ HOME: '/h' }, { offline: true }).offline).toBe(true);
    expect(hubConfigFromEnv({ HOME: '/h', HF_HUB_DISABLE_SYMLINKS: '1' }).symlinks).toBe(false);
  });

  it('takes HF_TOKEN, else the token file `hf auth login` writes', () => {
    const home = mkdtempSync(join(tmpdir(), 'zs-hf-home-'));
    expect(hubConfigFromEnv({ HOME: '/h', HF_HOME: home }).token).toBeUndefined();
    writeFileSync(join(home, 'token'), 'hf_from_file\n');
    expect(hubConfigFromEnv({ HOME: '/h', HF_HOME: home }).token).toBe('hf_from_file');
    expect(hubConfigFromEnv({ HOME: '/h', HF_HOME: home, HF_TOKEN: 'hf_env' }).token).toBe('hf_env');
  });
});
