import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { Provenance } from '../results/schema.js';
import { sha256 } from '../util/hash.js';
import { PACKAGE_ROOT, VERSION } from '../util/version.js';

const execFileAsync = promisify(execFile);

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
  const git = gitCommit();
  return {
    suite: input.suite ? { ...input.suite, sha256: sha256(await readFile(input.suite.file)) } : null,
    device: input.device,
    threads: input.threads,
    batchSize: input.batchSize,
    exifRotate: input.exifRotate,
    versions: { zeroshift: VERSION, node: process.version, onnxruntime: ort.env.versions.node ?? ort.env.versions.common, sharp: sharp.versions.sharp ?? 'unknown' },
    gitCommit: await git,
  };
}

/**
 * HEAD of the checkout zeroshift runs from (with `-dirty` for uncommitted changes), or null for
 * an installed package. The two git processes run asynchronously (they had blocked the main
 * thread for 2.6 % of a 3-model run), so the caller can start this beside other start-up work.
 */
async function gitCommit(): Promise<string | null> {
  if (!existsSync(join(PACKAGE_ROOT, '.git'))) return null;
  try {
    const run = async (args: string[]): Promise<string> => (await execFileAsync('git', args, { cwd: PACKAGE_ROOT, encoding: 'utf8', timeout: 5000 })).stdout.trim();
    const [head, status] = await Promise.all([run(['rev-parse', 'HEAD']), run(['status', '--porcelain', '--untracked-files=no'])]);
    const dirty = status.length > 0;
    return /^[0-9a-f]{40}$/.test(head) ? `${head}${dirty ? '-dirty' : ''}` : null;
  } catch {
    return null;
  }
}
