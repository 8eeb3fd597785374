import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCpuList, physicalCores } from '../../src/util/cpuTopology.js';

/** A sysfs CPU directory with `online` and each CPU's (package, core). */
function fakeSysfs(online: string, cpus: Record<number, [number, number]>): string {
  const root = mkdtempSync(join(tmpdir(), 'zs-sysfs-'));
  writeFileSync(join(root, 'online'), `${online}\n`);
  for (const [cpu, [pkg, core]] of Object.entries(cpus)) {
    const t = join(root, `cpu${cpu}`, 'topology');
    mkdirSync(t, { recursive: true });
    writeFileSync(join(t, 'physical_package_id'), `${pkg}\n`);
    writeFileSync(join(t, 'core_id'), `${core}\n`);
  }
  return root;
}

describe('physicalCores', () => {
  it('counts hyper-threads of one core once, across packages', () => {
    // 2 packages × 2 cores × 2 threads; core ids repeat between packages.
    const root = fakeSysfs('0-7', { 0: [0, 0], 1: [0, 1], 2: [1, 0], 3: [1, 1], 4: [0, 0], 5: [0, 1], 6: [1, 0], 7: [1, 1] });
    expect(physicalCores(root)).toBe(4);
  });

  it('counts only online CPUs, and every core when there is no SMT', () => {
    expect(physicalCores(fakeSysfs('0-1', { 0: [0, 0], 1: [0, 1], 2: [0, 2] }))).toBe(2);
  });

  it('is undefined where sysfs cannot be read', () => {
    expect(physicalCores(join(tmpdir(), 'no-such-sysfs-dir'))).toBeUndefined();
    expect(physicalCores(fakeSysfs('0-1', { 0: [0, 0] }))).toBeUndefined();
  });

  it('parses kernel CPU lists', () => {
    expect(parseCpuList('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList('')).toEqual([]);
    expect(parseCpuList('3-1')).toEqual([]);
  });
});
