import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { hashValue } from '../util/hash.js';
import type { ModelInfo } from './types.js';

/**
 * What loading a model established once its sessions were created and checked: the embedding
 * width, the context length and padding, the pixel size and the scoring rule (solved from a
 * combined graph for SigLIP). Stored per set of model file hashes, so a later run with the same
 * files can defer creating ONNX sessions until a tower is actually needed (a fully cached
 * re-evaluation then creates none).
 */
export interface ModelFacts {
  embedDim: number;
  contextLength: number;
  padding: 'max_length' | 'longest';
  height: number;
  width: number;
  scoring: { rule: 'softmax' | 'sigmoid'; scale: number; bias: number };
  /** Where scale and bias came from (spec, solved from a graph, config.json, default). */
  scoringSource: string;
}

const factsSchema = z.object({
  schemaVersion: z.literal(2),
  embedDim: z.number().int().positive(),
  contextLength: z.number().int().positive(),
  padding: z.enum(['max_length', 'longest']),
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  scoring: z.object({ rule: z.enum(['softmax', 'sigmoid']), scale: z.number().positive(), bias: z.number() }),
  scoringSource: z.string(),
});

function factsFile(dir: string, hashes: ModelInfo['hashes'], dtype: string): string {
  return join(dir, 'models', `${hashValue({ hashes, dtype }).slice(0, 32)}.json`);
}

/** The stored facts for these files, or undefined (absent, older or unreadable: load eagerly). */
export async function readModelFacts(dir: string, hashes: ModelInfo['hashes'], dtype: string): Promise<ModelFacts | undefined> {
  try {
    const parsed = factsSchema.safeParse(JSON.parse(await readFile(factsFile(dir, hashes, dtype), 'utf8')));
    if (!parsed.success) return undefined;
    const { schemaVersion: _, ...facts } = parsed.data;
    return facts;
  } catch {
    return undefined;
  }
}

/** Records the facts of a model whose towers were opened and checked. */
export async function writeModelFacts(dir: string, hashes: ModelInfo['hashes'], dtype: string, facts: ModelFacts): Promise<void> {
  await writeFileAtomic(factsFile(dir, hashes, dtype), `${JSON.stringify({ schemaVersion: 2, ...facts })}\n`);
}
