/**
 * Tokenization on top of @huggingface/tokenizers for every family: CLIP BPE, SentencePiece
 * (SigLIP's Unigram, SigLIP 2's Gemma BPE) and BERT WordPiece (`[CLS] … [SEP]`). The end token
 * (eos, or BERT's sep) is kept last on truncation, as open_clip/openai `clip.tokenize(truncate=
 * True)` and HF's truncation do; rows are padded with the pad token to the context length
 * (`max_length`, SigLIP) or to the batch's longest row.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { ZeroshiftError } from '../errors.js';
import type { TextBatch } from './graphInputs.js';

export type Padding = 'max_length' | 'longest';

export interface ClipTokenizer {
  /** Longest sequence the text tower takes (rows are truncated to it). */
  contextLength: number;
  /** The token kept last on truncation: eos, or sep for BERT. */
  eosId: number;
  padId: number;
  padding: Padding;
  lowercase: boolean;
  /** Token ids padded per `padding`, with each row's length up to and including its end token. */
  encode(texts: string[]): TextBatch;
  /** (N, L) token ids, as `encode` pads them. */
  tokenize(texts: string[]): number[][];
  /** The same tokenizer padding another way, without reading and building it again. */
  withPadding(padding: Padding): ClipTokenizer;
}

/** The files a tokenizer is read from; the configs are optional except tokenizer_config.json. */
export interface TokenizerFiles {
  tokenizer: string;
  tokenizerConfig: string;
  specialTokens?: string;
  /** config.json: `text_config.max_position_embeddings` when model_max_length is unset. */
  config?: string;
  /** open_clip_config.json: `model_cfg.text_cfg.context_length`. */
  openClipConfig?: string;
}

export interface TokenizerSettings {
  padding?: Padding;
  /** Lowercase before tokenizing (SigLIP 2 was trained on lowercased text). */
  lowercase?: boolean;
  onWarning?: (message: string) => void;
  /**
   * Builds the tokenizer once for every model of a run with the same files: `once(key, build)`
   * with `identity` (a content hash of tokenizer.json and the configs) in the key. Reading and
   * building a CLIP BPE tokenizer takes ~0.1 s.
   */
  share?: { identity: string; once<T>(key: string, build: () => T): T };
}

type TokenValue = string | { content: string } | null | undefined;
interface TokenizerConfig {
  model_max_length?: unknown;
  eos_token?: TokenValue;
  sep_token?: TokenValue;
  pad_token?: TokenValue;
}

/** HF writes int(1e30) for "no limit"; anything this large is unset. */
const UNSET_LENGTH = 1_000_000;

function tokenText(token: TokenValue): string | undefined {
  if (token === undefined || token === null) return undefined;
  return typeof token === 'string' ? token : token.content;
}

function readJson(file: string, what = 'tokenizer file'): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ZeroshiftError('MODEL', `${file}: cannot read ${what}: ${(e as Error).message}`);
  }
}

function tokenId(tokenizer: Tokenizer, token: string, file: string, key: string): number {
  const id = tokenizer.token_to_id(token);
  if (id === undefined) throw new ZeroshiftError('MODEL', `${file}: ${key} '${token}' is not in the vocabulary`);
  return id;
}

function usableLength(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 2 && v < UNSET_LENGTH ? v : undefined;
}

/** open_clip's CLIPTextCfg.context_length when a text config leaves it out. */
const OPEN_CLIP_DEFAULT_CONTEXT = 77;

/**
 * An OpenCLIP model's context length: open_clip's get_tokenizer takes its text config's
 * context_length (default 77) for both its own BPE and a Hugging Face tokenizer, whatever that
 * tokenizer's model_max_length says (xlm-roberta-base's is 512, its open_clip models read 77).
 */
function openClipContext(files: TokenizerFiles): number | undefined {
  if (!files.openClipConfig) return undefined;
  const oc = readJson(files.openClipConfig, 'open_clip config') as { model_cfg?: { text_cfg?: { context_length?: unknown } } };
  const textCfg = oc.model_cfg?.text_cfg;
  if (!textCfg) return undefined;
  return usableLength(textCfg.context_length) ?? (textCfg.context_length === undefined ? OPEN_CLIP_DEFAULT_CONTEXT : undefined);
}

/** open_clip's context_length for an OpenCLIP model, else model_max_length, else the text tower's position count. */
function contextLengthOf(files: TokenizerFiles, config: TokenizerConfig): number {
  const openClip = openClipContext(files);
  if (openClip) return openClip;
  const fromConfig = usableLength(config.model_max_length);
  if (fromConfig) return fromConfig;
  if (files.config && existsSync(files.config)) {
    const c = readJson(files.config, 'model config') as { text_config?: { max_position_embeddings?: unknown }; max_position_embeddings?: unknown };
    const n = usableLength(c.text_config?.max_position_embeddings);
    if (n) return n;
  }
  throw new ZeroshiftError('MODEL', `${files.tokenizerConfig}: no context length: model_max_length is ${JSON.stringify(config.model_max_length ?? null)} and ` +
    `neither open_clip_config.json (model_cfg.text_cfg.context_length) nor config.json (text_config.max_position_embeddings) gives one`, {
    hint: 'set "model_max_length" in tokenizer_config.json (CLIP uses 77, SigLIP 64)',
  });
}

/**
 * Loads a tokenizer from tokenizer.json + tokenizer_config.json (+ special_tokens_map.json).
 * Special tokens come from tokenizer_config.json, then special_tokens_map.json; the end token is
 * eos_token, else sep_token (BERT); the pad token is pad_token, else tokenizer.json's padding
 * token, else the end token.
 */
export function loadTokenizer(files: TokenizerFiles, settings: TokenizerSettings = {}): ClipTokenizer {
  const own = readJson(files.tokenizerConfig) as TokenizerConfig;
  const map = files.specialTokens ? (readJson(files.specialTokens) as TokenizerConfig) : {};
  const config: TokenizerConfig = { ...map, ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== null && v !== undefined)) };
  const build = (): { json: Record<string, unknown>; tokenizer: Tokenizer } => {
    const json = readJson(files.tokenizer);
    try {
      return { json, tokenizer: new Tokenizer(json, config) };
    } catch (e) {
      // Valid JSON that is no tokenizer (a truncated export, another file renamed): the library's
      // own message ("must contain a model property") says what is wrong inside it.
      throw new ZeroshiftError('MODEL', `${files.tokenizer}: not a usable Hugging Face tokenizer.json: ${(e as Error).message}`, {
        hint: 'copy tokenizer.json again from the model repository (it is written by tokenizers\' save(), with "model", "normalizer" and "pre_tokenizer" keys)',
      });
    }
  };
  const { json, tokenizer } = settings.share ? settings.share.once(`tokenizer:${settings.share.identity}`, build) : build();
  const contextLength = contextLengthOf(files, config);
  const endText = tokenText(config.eos_token) ?? tokenText(config.sep_token) ?? '<|endoftext|>';
  const eosId = tokenId(tokenizer, endText, files.tokenizerConfig, config.eos_token ? 'eos_token' : config.sep_token ? 'sep_token' : 'eos_token');
  const jsonPad = (json.padding as { pad_token?: string } | null | undefined)?.pad_token;
  const padText = tokenText(config.pad_token) ?? jsonPad ?? endText;
  const padId = tokenId(tokenizer, padText, files.tokenizerConfig, 'pad_token');
  const lowercase = settings.lowercase ?? false;
  const warned = new Set<string>();
  const encodeOne = (text: string): number[] => {
    let ids = tokenizer.encode(lowercase ? text.toLowerCase() : text).ids;
    if (ids.length > contextLength) {
      // Keyed by the message, not the prompt: a long template repeats for every class, and
      // its prompts share the quoted prefix, so they would print as identical lines.
      const message = `prompt truncated to ${contextLength} tokens (${ids.length} given): "${text.slice(0, 60)}${text.length > 60 ? '…' : ''}"`;
      if (settings.onWarning && !warned.has(message)) {
        warned.add(message);
        settings.onWarning(message);
      }
      ids = ids.at(-1) === eosId ? [...ids.slice(0, contextLength - 1), eosId] : ids.slice(0, contextLength);
    }
    return ids;
  };
  const padded = (padding: Padding): ClipTokenizer => {
    const encode = (texts: string[]): TextBatch => {
      const rows = texts.map(encodeOne);
      const width = padding === 'max_length' ? contextLength : Math.max(1, ...rows.map((r) => r.length));
      return {
        ids: rows.map((r) => [...r, ...new Array<number>(width - r.length).fill(padId)]),
        lengths: rows.map((r) => r.length),
      };
    };
    return { contextLength, eosId, padId, padding, lowercase, encode, tokenize: (texts) => encode(texts).ids, withPadding: padded };
  };
  return padded(settings.padding ?? 'max_length');
}
