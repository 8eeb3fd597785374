import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCacheDir, resolveDataDir } from '../../src/util/dataDir.js';

describe('resolveDataDir', () => {
  it('prefers the flag, then ZEROSHIFT_DATA_DIR, then XDG_DATA_HOME, then ~/.local/share', () => {
    const env = { ZEROSHIFT_DATA_DIR: '/env/data', XDG_DATA_HOME: '/xdg' };
    expect(resolveDataDir('/flag', env)).toBe('/flag');
    expect(resolveDataDir(undefined, env)).toBe('/env/data');
    expect(resolveDataDir(undefined, { XDG_DATA_HOME: '/xdg' })).toBe('/xdg/zeroshift');
    expect(resolveDataDir(undefined, {})).toBe(join(homedir(), '.local', 'share', 'zeroshift'));
  });

  it('makes relative flags absolute and ignores empty or relative XDG values', () => {
    expect(resolveDataDir('rel/dir', {})).toBe(resolve('rel/dir'));
    expect(resolveDataDir('', { ZEROSHIFT_DATA_DIR: '' , XDG_DATA_HOME: 'relative' })).toBe(
      join(homedir(), '.local', 'share', 'zeroshift'),
    );
  });
});

describe('kernel file systems', () => {
  it('refuses a data or cache dir under /proc, /sys or /dev, naming where it came from (prepare --data-dir /proc/x hung)', () => {
    expect(() => resolveDataDir('/proc/x', {})).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringMatching(/^--data-dir \/proc\/x: under \/proc, a kernel file system/) }));
    expect(() => resolveDataDir(undefined, { ZEROSHIFT_DATA_DIR: '/sys/kernel/zs' })).toThrow(/^ZEROSHIFT_DATA_DIR \/sys\/kernel\/zs: under \/sys/);
    expect(() => defaultCacheDir({ ZEROSHIFT_CACHE_DIR: '/dev/zs' })).toThrow(/^ZEROSHIFT_CACHE_DIR \/dev\/zs: under \/dev/);
    expect(defaultCacheDir({ ZEROSHIFT_CACHE_DIR: '/dev/shm/zs' })).toBe('/dev/shm/zs');
    expect(resolveDataDir('/procedures', {})).toBe('/procedures');
  });
});

describe('defaultCacheDir', () => {
  it('prefers ZEROSHIFT_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ ZEROSHIFT_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/zeroshift');
    expect(defaultCacheDir({})).toBe(join(homedir(), '.cache', 'zeroshift'));
  });
});
