/**
 * The model flags every model-using command shares (--model, --dtype, --device, --threads),
 * so their spelling and validation stay identical across commands.
 */
import { Option, type Command } from 'commander';
import { availableParallelism } from 'node:os';
import { ZeroshiftError } from '../errors.js';
import { DTYPES } from '../hub/dtypes.js';
import { hubConfigFromEnv } from '../hub/config.js';
import { streamProgress } from '../hub/progress.js';
import type { HubOptions } from '../hub/resolve.js';
import type { Device, Dtype, LoadModelOptions } from '../model/types.js';
import { builtinModels } from '../model/builtinModels.js';

const DEVICES: readonly Device[] = ['cpu', 'cuda'];

/** Raw values commander collects for the shared model flags. */
export interface ModelFlagValues {
  model?: string;
  dtype?: string;
  device?: string;
  threads?: string | number;
  offline?: boolean;
}

/** Adds --model, --dtype, --device and --threads to a command. */
export function addModelOptions(command: Command): Command {
  return addRuntimeOptions(command.option('-m, --model <path>', `model directory, zeroshift-model.json spec, built-in name (${[...builtinModels().keys()].join(', ')}) or hf:ORG/NAME[@REV] (default: embedded tiny-clip-shapes)`));
}

/** Adds --dtype, --device and --threads (for commands whose --model flag differs, e.g. repeatable). */
export function addRuntimeOptions(command: Command): Command {
  return command
    .addOption(new Option('--dtype <dtype>', 'graph precision, by transformers.js file suffix: fp32, fp16 (_fp16), q8 (_quantized), int8, uint8, q4, q4f16, bnb4').choices(DTYPES).default('fp32'))
    .addOption(new Option('--device <device>', 'execution provider; cuda falls back to cpu with a warning').choices(DEVICES).default('cpu'))
    // A number default, so --help shows (default: 0), not (default: "0").
    .addOption(new Option('--threads <n>', 'ONNX Runtime intra-op threads (0 = its default)').default(0))
    .option('--offline', 'hf: models come from the hub cache only, with no network (as HF_HUB_OFFLINE=1)');
}

/** Turns the shared flags into loadModel arguments. */
export function modelOptionsFrom(flags: ModelFlagValues, onWarning: (m: string) => void): { ref?: string; options: LoadModelOptions } {
  return { ref: flags.model, options: { ...runtimeOptionsFrom(flags), onWarning } };
}

/** Most intra-op threads accepted: 4 per CPU (or ZEROSHIFT_MAX_THREADS). */
export function maxThreads(env: string | undefined): number {
  const raised = env !== undefined && /^\d+$/.test(env.trim()) ? Number(env.trim()) : NaN;
  return Number.isSafeInteger(raised) && raised > 0 ? raised : 4 * availableParallelism();
}

/**
 * Hub settings for `hf:` models: the HF_* environment variables plus --offline, messages and
 * a byte progress bar on `stream` (stderr), and one memo so a command resolves each model once.
 */
export function hubOptionsFrom(flags: Pick<ModelFlagValues, 'offline'>, stream: NodeJS.WriteStream = process.stderr): HubOptions {
  return {
    config: hubConfigFromEnv(process.env, { offline: flags.offline }),
    log: (m) => stream.write(`${m}\n`),
    warn: (m) => stream.write(`warning: ${m}\n`),
    progress: streamProgress(stream),
    memo: new Map(),
  };
}

/** Turns --dtype, --device, --threads and --offline into loadModel options. */
export function runtimeOptionsFrom(flags: Omit<ModelFlagValues, 'model'>): Pick<LoadModelOptions, 'dtype' | 'device' | 'threads' | 'hub'> {
  const threads = Number(flags.threads ?? '0');
  if (!Number.isInteger(threads) || threads < 0) {
    throw new ZeroshiftError('INPUT', `--threads must be a non-negative integer, got '${flags.threads}'`);
  }
  const max = maxThreads(process.env.ZEROSHIFT_MAX_THREADS);
  if (threads > max) {
    // Thousands of intra-op threads made session creation and every batch crawl (--threads 2000 effectively hung).
    throw new ZeroshiftError('INPUT', `--threads ${threads} is over the limit of ${max} (4 per CPU here; ZEROSHIFT_MAX_THREADS raises it)`, {
      hint: `use --threads ${availableParallelism()} (one per CPU) or 0 for ONNX Runtime's default`,
    });
  }
  return { dtype: (flags.dtype ?? 'fp32') as Dtype, device: (flags.device ?? 'cpu') as Device, threads, hub: hubOptionsFrom(flags) };
}
