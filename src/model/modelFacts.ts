import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { hashValue } from '../util/hash.js';
import type { ModelInfo } from './types.js';

/**
 * What loading a model established once its sessions were created and checked: the embedding
 * width, the context length and the pixel size. Stored per set of model file hashes, so a later
 * run with the same files can defer creating ONNX sessions until a tower is actually needed (a
 * fully cached re-evaluation then creates none).
 */
export interface ModelFacts {
  embedDim: number;
  contextLength: number;
  height: number;
  width: number;
}

const factsSchema = z.object({
  schemaVersion: z.literal(1),
  embedDim: z.number().int().positive(),
  contextLength: z.number().int().positive(),
  height: z.number().int().positive(),
  width: z.number().int().positive(),
});

function factsFile(dir: string, hashes: ModelInfo['hashes'], dtype: string): string {
  return join(dir, 'models', `${hashValue({ hashes, dtype }).slice(0, 32)}.json`);
}

/** The stored facts for these files, or undefined (absent or unreadable: load eagerly). */
export async function readModelFacts(dir: string, hashes: ModelInfo['hashes'], dtype: string): Promise<ModelFacts | undefined> {
  try {
    const parsed = factsSchema.safeParse(JSON.parse(await readFile(factsFile(dir, hashes, dtype), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Records the facts of a model whose towers were opened and checked. */
export async function writeModelFacts(dir: string, hashes: ModelInfo['hashes'], dtype: string, facts: ModelFacts): Promise<void> {
  await writeFileAtomic(factsFile(dir, hashes, dtype), `${JSON.stringify({ schemaVersion: 1, ...facts })}\n`);
}
