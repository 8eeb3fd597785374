import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { FROST_LAYOUT_DIR, FROST_PHOTOS, FROST_PREPARE_ID, frostHowTo, loadFrostPhotos } from '../shifts/frost.js';
import { shellCommand } from '../util/shellQuote.js';
import { getCorruption } from '../shifts/registry.js';
import type { ShiftAssets, ShiftRequest } from '../shifts/types.js';
import { resolveDataDir } from '../util/dataDir.js';

/**
 * Where the frost photographs are: `--frost-dir` (or a suite's `shifts.frostDir`) when given,
 * else `<data dir>/imagenet-c-frost` when `zeroshift prepare imagenet-c-frost` put them there,
 * else null.
 */
export function findFrostDir(frostDir: string | undefined, dataDir: string | undefined, env: Record<string, string | undefined>): string | null {
  if (frostDir !== undefined && frostDir !== '') return frostDir;
  const prepared = join(resolveDataDir(dataDir, env), FROST_LAYOUT_DIR);
  return FROST_PHOTOS.every((p) => existsSync(join(prepared, p.name))) ? prepared : null;
}

/** Whether the corruption can run with the photographs found (frost needs them). */
export function corruptionAvailable(id: string, frostDir: string | null): boolean {
  return getCorruption(id).needsAssets !== 'frost' || frostDir !== null;
}

/**
 * The notice for `"corruptions": "all"` without the frost photographs: one short line with the
 * command that adds them (in the --data-dir given, where eval looks). The default suite gives it
 * on every run until then; four terminal lines of it each time were noise.
 */
export function frostSkippedNotice(suiteName: string, dataDir: string | undefined): string {
  return `${suiteName}: frost skipped (no frost photographs); to add it: ${shellCommand(['zeroshift', 'prepare', FROST_PREPARE_ID, ...(dataDir === undefined ? [] : ['--data-dir', dataDir])])}`;
}

/**
 * Loads what the planned shifts need: the frost photographs when a frost shift is planned.
 * A frost shift without photographs is an INPUT error (exit 2) that says where to get them.
 */
export async function loadShiftAssets(shifts: readonly (ShiftRequest | null)[], frostDir: string | null): Promise<ShiftAssets> {
  const frost = shifts.find((s) => s !== null && getCorruption(s.corruption).needsAssets === 'frost');
  if (!frost) return {};
  if (frostDir === null) {
    throw new ZeroshiftError('INPUT', `shift '${frost.corruption}:${frost.severity}' needs ImageNet-C's frost photographs, and none were found`, { hint: frostHowTo() });
  }
  return { frost: await loadFrostPhotos(frostDir) };
}
