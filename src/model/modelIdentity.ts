/**
 * The hashes that identify a model in caches and result ids. A graph with external data hashes
 * as the digest of all its files' digests (every file its tensors name, see onnxExternalData.ts); the
 * tokenizer digest covers every file that decides how text becomes ids (tokenizer.json,
 * tokenizer_config.json, special_tokens_map.json, and config.json / open_clip_config.json, which
 * give the family's padding, lowercasing and context length); `config` covers config.json,
 * open_clip_config.json and a spec's overrides (family, outputs, scale and bias).
 */
import { existsSync } from 'node:fs';
import { hashValue } from '../util/hash.js';
import { hashFileCached } from './fileHashes.js';
import type { ModelFiles } from './modelFiles.js';
import type { ModelInfo } from './types.js';

/** Every file whose bytes the hashes cover (recorded in the facts cache after a good load). */
export function identityFiles(files: ModelFiles): string[] {
  const graphs = [files.textModel, files.visionModel];
  return [...new Set([
    ...graphs, ...graphs.flatMap((g) => files.externalData[g] ?? []),
    files.tokenizer, files.tokenizerConfig, files.preprocessor, ...(existsSync(files.config) ? [files.config] : []),
    ...(files.specialTokens ? [files.specialTokens] : []), ...(files.openClipConfig ? [files.openClipConfig] : []),
  ])];
}

/** sha256 of each identity part (file digests memoised; read from `factsDir` when recorded there). */
export async function modelHashes(files: ModelFiles, factsDir?: string): Promise<ModelInfo['hashes']> {
  const h = (f: string | undefined): Promise<string | null> => (f && existsSync(f) ? hashFileCached(f, factsDir) : Promise.resolve(null));
  const graph = async (g: string): Promise<string> => {
    const own = (await h(g))!;
    const data = files.externalData[g] ?? [];
    if (data.length === 0) return own;
    return hashValue({ graph: own, externalData: await Promise.all(data.map(async (d) => (await h(d))!)) });
  };
  const [textModel, visionModel, tokenizerJson, tokenizerConfig, specialTokens, config, openClip, preprocessor] = await Promise.all([
    graph(files.textModel), graph(files.visionModel), h(files.tokenizer), h(files.tokenizerConfig), h(files.specialTokens),
    h(files.config), h(files.openClipConfig), h(files.preprocessor),
  ]);
  const configHash = hashValue({ config, openClip, overrides: files.overrides });
  const tokenizer = hashValue({ tokenizerJson, tokenizerConfig, specialTokens, config: configHash });
  return { textModel, visionModel, tokenizer, preprocessor: preprocessor!, config: configHash };
}
