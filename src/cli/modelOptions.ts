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
import { physicalCores } from '../util/cpuTopology.js';
import { modelLimitsFromEnv } from '../util/modelLimits.js';

const DEVICES: readonly Device[] = ['cpu', 'cuda'];

/** Raw values commander collects for the shared model flags. */
export interface ModelFlagValues {
  model?: string;
  dtype?: string;
  device?: string;
  threads?: string | number;
  offline?: boolean;
  /** Only on commands that stream datasets (eval, compare-prompts). */
  decodeWorkers?: string | number;
}

/** Adds --model, --dtype, --device and --threads to a command. */
export function addModelOptions(command: Command): Command {
  return addRuntimeOptions(command.option('-m, --model <path>', `model directory, zeroshift-model.json spec, built-in name (${[...builtinModels().keys()].join(', ')}) or hf:ORG/NAME[@REV] (default: embedded tiny-clip-shapes)`));
}

/** Adds --dtype, --device and --threads (for commands whose --model flag differs, e.g. repeatable). */
export function addRuntimeOptions(command: Command): Command {
  return command
    .addOption(new Option('--dtype <dtype>', 'graph precision, by transformers.js file suffix: fp32, fp16 (_fp16), q8 (_quantized), int8, uint8, q4, q4f16, bnb4').choices(DTYPES).default('fp32'))
    .addOption(new Option('--device <device>', 'execution provider; cuda falls back to cpu with a warning. A cuda result is its own result (its floats differ: TF32): named m (cuda), -cuda in file names').choices(DEVICES).default('cpu'))
    .addOption(new Option('--threads <n|auto>', 'ONNX Runtime intra-op threads: auto = one per physical core (less any --decode-workers), 0 = ONNX Runtime\'s own default').default('auto'))
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
    limits: modelLimitsFromEnv(process.env),
  };
}

/** Adds --decode-workers (commands that stream datasets through the image pipeline). */
export function addDecodeWorkersOption(command: Command): Command {
  return command.addOption(new Option('--decode-workers <n|auto>', 'worker threads that decode, shift and preprocess images while the main thread infers: auto = the CPUs left after --threads (0 when inference takes them all; every CPU but one with --device cuda), 0 = in the main thread').default('auto'));
}

/** CPUs the process may use and how many of them are physical cores (undefined where unknown). */
export interface CpuCount {
  logical: number;
  physical: number | undefined;
}

function hostCpus(): CpuCount {
  const logical = availableParallelism();
  const physical = physicalCores();
  return { logical, physical: physical === undefined ? undefined : Math.min(physical, logical) };
}

function countFlag(value: string | number | undefined, flag: string): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || String(value).trim() === '') throw new ZeroshiftError('INPUT', `${flag} must be 'auto' or a non-negative integer, got '${value}'`);
  return n;
}

/**
 * --threads and --decode-workers resolved together: inference gets one intra-op thread per
 * physical core (less explicit decode workers); decode workers get the CPUs inference leaves.
 * On 2 cores that is 2 threads and no workers, the fastest of the combinations measured in
 * docs/performance.md. Unknown topology (not Linux) leaves threads to ONNX Runtime (0) and
 * auto workers at 0, since the CPUs ONNX Runtime takes are then unknown.
 */
export function resolveParallelism(flags: Pick<ModelFlagValues, 'threads' | 'decodeWorkers' | 'device'>, cpus: CpuCount = hostCpus()): { threads: number; decodeWorkers: number } {
  const t = countFlag(flags.threads, '--threads');
  const w = countFlag(flags.decodeWorkers, '--decode-workers');
  const max = maxThreads(process.env.ZEROSHIFT_MAX_THREADS);
  if (w !== 'auto' && w > max) {
    throw new ZeroshiftError('INPUT', `--decode-workers ${w} is over the limit of ${max} (4 per CPU here; ZEROSHIFT_MAX_THREADS raises it)`, { hint: `use --decode-workers auto or at most ${cpus.logical} (one per CPU)` });
  }
  const threads = t !== 'auto' ? t : cpus.physical === undefined ? 0 : Math.max(1, cpus.physical - (w === 'auto' ? 0 : w));
  if (w !== 'auto') return { threads, decodeWorkers: w };
  if (flags.device === 'cuda') return { threads, decodeWorkers: Math.max(0, cpus.logical - 1) };
  return { threads, decodeWorkers: threads === 0 ? 0 : Math.max(0, cpus.logical - threads) };
}

/** Turns --dtype, --device, --threads and --offline into loadModel options. */
export function runtimeOptionsFrom(flags: Omit<ModelFlagValues, 'model'>): Pick<LoadModelOptions, 'dtype' | 'device' | 'threads' | 'hub' | 'limits'> {
  const { threads } = resolveParallelism(flags);
  const max = maxThreads(process.env.ZEROSHIFT_MAX_THREADS);
  if (threads > max) {
    // Thousands of intra-op threads made session creation and every batch crawl (--threads 2000 effectively hung).
    throw new ZeroshiftError('INPUT', `--threads ${threads} is over the limit of ${max} (4 per CPU here; ZEROSHIFT_MAX_THREADS raises it)`, {
      hint: `use --threads auto (one per physical core), ${availableParallelism()} (one per CPU) or 0 for ONNX Runtime's default`,
    });
  }
  return { dtype: (flags.dtype ?? 'fp32') as Dtype, device: (flags.device ?? 'cpu') as Device, threads, hub: hubOptionsFrom(flags), limits: modelLimitsFromEnv(process.env) };
}
