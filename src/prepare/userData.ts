import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { UserDataset } from './manifestSchema.js';

/** Result of checking a user-supplied layout. */
export interface UserLayoutCheck {
  ok: boolean;
  /** What was found or what is wrong, in one line. */
  detail: string;
}

/**
 * Checks the layout of a dataset the user supplies (ImageNet val, ObjectNet): the class root
 * exists and holds at least `minClassDirs` directories. Reads directory names only.
 */
export function checkUserLayout(entry: UserDataset, dataDir: string): UserLayoutCheck {
  const root = join(dataDir, entry.layoutDir, entry.classRoot);
  if (!existsSync(root)) return { ok: false, detail: `${root} does not exist` };
  const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.'));
  if (dirs.length < entry.minClassDirs) {
    return { ok: false, detail: `${root} holds ${dirs.length} class directories; expected at least ${entry.minClassDirs}` };
  }
  const missing = entry.requiredPaths.filter((p) => !existsSync(join(dataDir, entry.layoutDir, p)));
  if (missing.length > 0) return { ok: false, detail: `missing ${missing.join(', ')} under ${join(dataDir, entry.layoutDir)}` };
  return { ok: true, detail: `${dirs.length} class directories in ${root}` };
}

/** The instructions for supplying a dataset, with the data dir filled in. */
export function userInstructions(entry: UserDataset, dataDir: string): string[] {
  return entry.instructions.map((line) => line.replaceAll('<data-dir>', dataDir));
}
