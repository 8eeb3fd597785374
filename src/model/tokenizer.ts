/**
 * CLIP tokenization on top of @huggingface/tokenizers: fixed context length, EOS kept as the
 * last token on truncation (as open_clip/openai `clip.tokenize(truncate=True)` do), padding
 * with the pad token.
 */
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { ZeroshiftError } from '../errors.js';

export interface ClipTokenizer {
  contextLength: number;
  eosId: number;
  padId: number;
  /** (N, contextLength) token ids. */
  tokenize(texts: string[]): number[][];
}

interface TokenizerConfig {
  model_max_length?: number;
  eos_token?: string | { content: string };
  pad_token?: string | { content: string };
}

function tokenText(token: string | { content: string } | undefined, fallback: string): string {
  if (token === undefined) return fallback;
  return typeof token === 'string' ? token : token.content;
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ZeroshiftError('MODEL', `${file}: cannot read tokenizer file: ${(e as Error).message}`);
  }
}

function tokenId(tokenizer: Tokenizer, token: string, file: string, key: string): number {
  const id = tokenizer.token_to_id(token);
  if (id === undefined) throw new ZeroshiftError('MODEL', `${file}: ${key} '${token}' is not in the vocabulary`);
  return id;
}

/**
 * Loads a CLIP tokenizer from tokenizer.json + tokenizer_config.json.
 * @param onWarning called once per distinct prompt that had to be truncated.
 */
export function loadTokenizer(tokenizerFile: string, configFile: string, onWarning?: (message: string) => void): ClipTokenizer {
  const config = readJson(configFile) as TokenizerConfig;
  const tokenizer = new Tokenizer(readJson(tokenizerFile), config);
  const contextLength = config.model_max_length;
  if (contextLength === undefined || !Number.isInteger(contextLength) || contextLength < 2 || contextLength > 1_000_000) {
    throw new ZeroshiftError('MODEL', `${configFile}: model_max_length must be an integer context length (CLIP uses 77), found ${String(contextLength)}`);
  }
  const eosId = tokenId(tokenizer, tokenText(config.eos_token, '<|endoftext|>'), configFile, 'eos_token');
  const padId = tokenId(tokenizer, tokenText(config.pad_token, tokenText(config.eos_token, '<|endoftext|>')), configFile, 'pad_token');
  const warned = new Set<string>();
  const encodeOne = (text: string): number[] => {
    let ids = tokenizer.encode(text).ids;
    if (ids.length > contextLength) {
      // Keyed by the message, not the prompt: a long template repeats for every class, and
      // its prompts share the quoted prefix, so they would print as identical lines.
      const message = `prompt truncated to ${contextLength} tokens (${ids.length} given): "${text.slice(0, 60)}${text.length > 60 ? '…' : ''}"`;
      if (onWarning && !warned.has(message)) {
        warned.add(message);
        onWarning(message);
      }
      ids = [...ids.slice(0, contextLength - 1), eosId];
    }
    const row = new Array<number>(contextLength).fill(padId);
    for (let i = 0; i < ids.length; i++) row[i] = ids[i]!;
    return row;
  };
  return { contextLength, eosId, padId, tokenize: (texts) => texts.map(encodeOne) };
}
