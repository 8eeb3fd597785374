/**
 * File names built from user-chosen names (models, datasets, prompt sets) must fit the file
 * system: 255 bytes per name on ext4, XFS, APFS and NTFS. Three names of about 96 characters
 * made a result name of 282 characters, and the write failed with ENAMETOOLONG after the whole
 * run was done. Names are shortened where they are built, so the name is known to fit before
 * any work starts, and a hash of the full text keeps shortened names apart.
 */
import { sha256 } from './hash.js';

/**
 * Longest readable part of a generated file name, in characters (ASCII slugs): room is left
 * for an id, an extension such as `.predictions.jsonl` and the atomic writer's temporary name
 * `.<name>.<pid>.<random>.tmp`, all within 255 bytes.
 */
export const MAX_READABLE_NAME = 160;

/**
 * `readable` when it has at most `max` characters, else its first `max - 9` characters, `-`
 * and 8 hex digits of its sha256 (so two long names that share a beginning stay apart).
 */
export function boundedFileBase(readable: string, max = MAX_READABLE_NAME): string {
  if (readable.length <= max) return readable;
  return `${readable.slice(0, max - 9)}-${sha256(readable).slice(0, 8)}`;
}
