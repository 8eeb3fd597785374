import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { Provenance } from '../results/schema.js';
import { sha256 } from '../util/hash.js';
import { PACKAGE_ROOT, VERSION } from '../util/version.js';

/** What the run was asked for that the provenance records. */
export interface ProvenanceInput {
  suite: { name: string; file: string; ceBaseline?: string } | null;
  device: { requested: 'cpu' | 'cuda'; used: 'cpu' | 'cuda'; fallbackReason?: string };
  threads: number;
  batchSize: number;
  exifRotate: boolean;
}

/**
 * How a result was produced, beyond what determines its numbers: the suite (name and file
 * hash), the device actually used, threads, batch size, EXIF rotation, and the versions of
 * zeroshift, Node, ONNX Runtime and sharp, with the git commit when run from a checkout.
 */
export async function runProvenance(input: ProvenanceInput): Promise<Provenance> {
  return {
    suite: input.suite ? { ...input.suite, sha256: sha256(await readFile(input.suite.file)) } : null,
    device: input.device,
    threads: input.threads,
    batchSize: input.batchSize,
    exifRotate: input.exifRotate,
    versions: { zeroshift: VERSION, node: process.version, onnxruntime: ort.env.versions.node ?? ort.env.versions.common, sharp: sharp.versions.sharp ?? 'unknown' },
    gitCommit: gitCommit(),
  };
}

/** HEAD of the checkout zeroshift runs from (with `-dirty` for uncommitted changes), or null for an installed package. */
function gitCommit(): string | null {
  if (!existsSync(join(PACKAGE_ROOT, '.git'))) return null;
  try {
    const run = (args: string[]): string => execFileSync('git', args, { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    const head = run(['rev-parse', 'HEAD']);
    const dirty = run(['status', '--porcelain', '--untracked-files=no']).length > 0;
    return /^[0-9a-f]{40}$/.test(head) ? `${head}${dirty ? '-dirty' : ''}` : null;
  } catch {
    return null;
  }
}
