import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/**
 * Mounts a tmpfs with `options` (e.g. `ro,size=1m`, `size=64k`) at `dir`, creating it. Returns
 * false where this machine forbids mounts (containers without CAP_SYS_ADMIN), so the caller can
 * skip with a reason. The caller unmounts (`umount dir`) in a `finally`.
 */
export function mountTmpfs(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
