/** Loads a two-tower CLIP-style model (ONNX, split or combined) with its tokenizer, preprocessing and scoring rule. */
import { ZeroshiftError } from '../errors.js';
import type { RawImage } from '../image/rawImage.js';
import { recordFileHashes } from './fileHashes.js';
import { assertFiniteRows } from './finiteRows.js';
import { detectFamily, FAMILY_TRAITS } from './family.js';
import { inputOf } from './graphInputs.js';
import { identityFiles, modelHashes } from './modelIdentity.js';
import { checkModelFileSizes, DEFAULT_MODEL_DIR, type ModelFiles, type ResolveOptions } from './modelFiles.js';
import type { ModelLimits } from '../util/modelLimits.js';
import { diskFullReason } from '../util/atomicWrite.js';
import { locateModel, type HubIdentity, type HubOptions } from './hubModel.js';
import { openGraph, towerOf, type OnnxGraph, type OnnxTower } from './onnxTower.js';
import { inputSize, preprocessImage } from './preprocess.js';
import { readPreprocessorConfig } from './preprocessorConfig.js';
import { DEFAULT_LOGIT_SCALE, readLogitScale, solveScoring, SOLVE_TEXTS } from './scoringSolve.js';
import { loadTokenizer, type ClipTokenizer, type Padding } from './tokenizer.js';
import { readModelFacts, writeModelFacts, type ModelFacts } from './modelFacts.js';
import { settleDevice } from './settleDevice.js';
import type { FamilyId } from './familyIds.js';
import type { ScoringRule } from './scoring.js';
import type { ClipModel, LoadModelOptions, ModelInfo, PreprocessorConfig } from './types.js';

export { DEFAULT_MODEL_DIR };

/** Texts per text-tower run: bounds memory for large class × template sets. */
const TEXT_BATCH = 256;

/**
 * Resolves a model reference to its files and their identity hashes without opening sessions
 * (hashes are memoised per file metadata, and persisted under `factsDir` when given).
 */
export async function resolveModelRef(ref?: string, options: ResolveOptions & { factsDir?: string; hub?: HubOptions; limits?: ModelLimits } = {}): Promise<{ files: ModelFiles; hashes: ModelInfo['hashes']; hub?: HubIdentity }> {
  const { files, hub } = await locateModel(ref, options);
  // Before any file is hashed or read: a 220 MB tokenizer.json took 5 minutes and 1.9 GB.
  checkModelFileSizes(files, options.limits);
  return { files, hub, hashes: await modelHashes(files, options.factsDir) };
}

interface Towers {
  text: OnnxTower;
  vision: OnnxTower;
  graphs: OnnxGraph[];
}

/** Everything a load decides before opening sessions. */
interface Plan {
  files: ModelFiles;
  hashes: ModelInfo['hashes'];
  family: FamilyId;
  preprocessor: PreprocessorConfig;
  options: LoadModelOptions;
}

function towerOptions(options: LoadModelOptions) {
  return { device: options.device, threads: options.threads, spinWait: options.spinWait, onWarning: options.onWarning };
}

function tokenizerFor(plan: Plan, padding: Padding): ClipTokenizer {
  const { files } = plan;
  return loadTokenizer(
    { tokenizer: files.tokenizer, tokenizerConfig: files.tokenizerConfig, specialTokens: files.specialTokens, config: files.config, openClipConfig: files.openClipConfig },
    {
      padding, lowercase: FAMILY_TRAITS[plan.family].lowercase, onWarning: plan.options.onWarning,
      ...(plan.options.share ? { share: { identity: plan.hashes.tokenizer, once: <T>(key: string, build: () => T) => plan.options.share!.once(key, build) } } : {}),
    },
  );
}

function checkTowers(text: OnnxTower, vision: OnnxTower, pre: PreprocessorConfig, files: ModelFiles): void {
  if (text.embedDim !== vision.embedDim) {
    throw new ZeroshiftError('MODEL', `${files.source}: embedding widths differ: ${files.textModel} ('${text.outputName}') gives ${text.embedDim}, ${files.visionModel} ('${vision.outputName}') gives ${vision.embedDim}`);
  }
  const size = inputSize(pre);
  const [h, w] = [vision.inputShape[2], vision.inputShape[3]];
  if (size && typeof h === 'number' && typeof w === 'number' && (h !== size.height || w !== size.width)) {
    throw new ZeroshiftError('MODEL', `${files.visionModel}: expects ${h}x${w} pixels but ${files.preprocessor} produces ${size.height}x${size.width}`);
  }
}

/** Model input (height, width): from the preprocessor, else the tower's declared shape. */
function pixelSize(pre: PreprocessorConfig, vision: OnnxTower): { height: number; width: number } {
  const size = inputSize(pre);
  if (size) return size;
  const [h, w] = [vision.inputShape[2], vision.inputShape[3]];
  if (typeof h === 'number' && typeof w === 'number') return { height: h, width: w };
  throw new ZeroshiftError('MODEL', `${vision.path}: input size is symbolic and the preprocessor does not fix it (enable do_center_crop)`);
}

/**
 * Padding for a text graph: the family's (SigLIP: max_length), else max_length when the graph
 * cannot tell padding from text (no attention_mask, or a fixed sequence length), else longest.
 */
function paddingFor(plan: Plan, text: OnnxTower): Padding {
  const own = FAMILY_TRAITS[plan.family].padding;
  if (own) return own;
  const fixed = typeof text.inputShape[1] === 'number';
  return !fixed && inputOf(text.inputs, 'attentionMask') ? 'longest' : 'max_length';
}

async function openAll(plan: Plan, dummyText: () => import('./graphInputs.js').TextBatch): Promise<Towers> {
  const { files, options } = plan;
  const opts = towerOptions(options);
  const names = { ids: files.overrides.textInput, pixels: files.overrides.visionInput };
  // A run's models that name the same graph file (by content) with the same options share one session.
  const open = (path: string, hash: string): Promise<OnnxGraph> => {
    const share = options.share;
    if (!share) return openGraph(path, opts, names);
    const key = JSON.stringify({ hash, device: opts.device ?? 'cpu', threads: opts.threads ?? 0, spinWait: opts.spinWait ?? false, names });
    return share.graph(key, () => openGraph(path, opts, names));
  };
  const graphs: OnnxGraph[] = [];
  try {
    const textGraph = await open(files.textModel, plan.hashes.textModel);
    graphs.push(textGraph);
    const visionGraph = files.visionModel === files.textModel ? textGraph : await open(files.visionModel, plan.hashes.visionModel);
    if (visionGraph !== textGraph) graphs.push(visionGraph);
    const pixelSize = inputSize(plan.preprocessor);
    const text = await towerOf(textGraph, 'text', { output: files.overrides.textOutput, dummyText, pixelSize });
    const vision = await towerOf(visionGraph, 'vision', { output: files.overrides.visionOutput, dummyText, pixelSize });
    checkTowers(text, vision, plan.preprocessor, files);
    return { text, vision, graphs };
  } catch (e) {
    await Promise.all(graphs.map((g) => g.release()));
    throw e;
  }
}

/** The scoring rule: spec, else solved from a combined graph, else config.json (softmax) — sigmoid needs one of the first two. */
async function scoringFor(plan: Plan, towers: Towers, tokenizer: ClipTokenizer, size: { height: number; width: number }): Promise<{ scoring: ScoringRule; source: string }> {
  const { files, family } = plan;
  if (files.overrides.scoring) return { scoring: files.overrides.scoring, source: 'the spec' };
  const rule = FAMILY_TRAITS[family].rule;
  if (files.combinedModel) {
    const shared = towers.graphs.find((g) => g.path === files.combinedModel);
    const graph = shared ?? (await openGraph(files.combinedModel, towerOptions(plan.options)));
    try {
      if (graph.session.outputNames.includes('logits_per_image')) {
        return { scoring: await solveScoring(graph, rule, tokenizer.encode(SOLVE_TEXTS), size), source: `solved from ${files.combinedModel} logits_per_image (2 images x 2 texts)` };
      }
    } finally {
      if (!shared) await graph.release();
    }
  }
  if (rule === 'sigmoid') {
    throw new ZeroshiftError('MODEL', `${files.source}: ${family} scores with sigmoid(scale·cos + bias), but there is no combined onnx/model.onnx with logits_per_image to solve scale and bias from, and no spec gives them`, {
      hint: 'add onnx/model.onnx (transformers.js exports it), or a zeroshift-model.json with "scoring": {"rule": "sigmoid", "scale": ..., "bias": ...}',
    });
  }
  const scale = readLogitScale(files.config);
  return { scoring: { rule, scale, bias: 0 }, source: scale === DEFAULT_LOGIT_SCALE ? 'CLIP default (no logit_scale in config.json)' : 'config.json logit_scale' };
}

/** Establishes the model's facts by opening everything (and records them when a cache is given). */
async function establishFacts(plan: Plan, hashes: ModelInfo['hashes']): Promise<{ facts: ModelFacts; towers: Towers; tokenizer: ClipTokenizer }> {
  let probeTokenizer: ClipTokenizer | undefined;
  const dummyText = () => (probeTokenizer ??= tokenizerFor(plan, 'longest')).encode(['']);
  const towers = await openAll(plan, dummyText);
  try {
    // The probe's tokenizer (if the towers needed one) re-padded: building a CLIP BPE tokenizer takes ~0.1 s.
    const padding = paddingFor(plan, towers.text);
    const tokenizer = probeTokenizer ? probeTokenizer.withPadding(padding) : tokenizerFor(plan, padding);
    const size = pixelSize(plan.preprocessor, towers.vision);
    const fixed = towers.text.inputShape[1];
    if (typeof fixed === 'number' && fixed !== tokenizer.contextLength) {
      throw new ZeroshiftError('MODEL', `${plan.files.textModel}: takes ${fixed} tokens but ${plan.files.tokenizerConfig} gives a context length of ${tokenizer.contextLength}`);
    }
    const { scoring, source } = await scoringFor(plan, towers, tokenizer, size);
    const facts: ModelFacts = { embedDim: towers.text.embedDim, contextLength: tokenizer.contextLength, padding: tokenizer.padding, ...size, scoring, scoringSource: source };
    if (plan.options.factsDir) await recordFacts(plan, hashes, facts);
    return { facts, towers, tokenizer };
  } catch (e) {
    await Promise.all(towers.graphs.map((g) => g.release()));
    throw e;
  }
}

/**
 * Records the facts and file digests in the cache. The cache is an optimisation: a full disk
 * there is a warning (the next load recomputes them), not the end of the run.
 */
async function recordFacts(plan: Plan, hashes: ModelInfo['hashes'], facts: ModelFacts): Promise<void> {
  try {
    await writeModelFacts(plan.options.factsDir!, hashes, plan.files.dtype, facts);
    await recordFileHashes(plan.options.factsDir!, identityFiles(plan.files));
  } catch (e) {
    const full = diskFullReason(e);
    if (full === undefined) throw e;
    plan.options.onWarning?.(`cache ${plan.options.factsDir}: cannot record the facts of ${plan.files.name}: ${full}; the run goes on without caching them`);
  }
}

/**
 * Loads a model: a model directory (split towers or a combined graph), a `zeroshift-model.json`
 * spec, or (undefined) the embedded tiny-clip-shapes. Sessions are created and checked at load,
 * unless `factsDir` holds the facts of a previous successful load of the very same files: then
 * the graphs and the tokenizer are created on first use, so a run served from caches creates none.
 * @throws ZeroshiftError('MODEL') for missing files, unusable inputs or outputs, mismatched sizes/widths.
 */
export async function loadModel(ref?: string, requested: LoadModelOptions = {}): Promise<ClipModel> {
  const options = await settleDevice(requested);
  const { files, hashes, hub } = await resolveModelRef(ref, options);
  const plan: Plan = { files, hashes, family: detectFamily(files), preprocessor: readPreprocessorConfig(files.preprocessor, options.limits?.maxInputPixels), options };
  const known = options.factsDir ? await readModelFacts(options.factsDir, hashes, files.dtype) : undefined;
  const eager = known ? null : await establishFacts(plan, hashes);
  const facts = known ?? eager!.facts;
  let tokenizer: ClipTokenizer | null = eager ? eager.tokenizer : null;
  const getTokenizer = (): ClipTokenizer => (tokenizer ??= tokenizerFor(plan, facts.padding));
  let towers: Promise<Towers> | null = eager ? Promise.resolve(eager.towers) : null;
  const getTowers = (): Promise<Towers> => (towers ??= openAll(plan, () => getTokenizer().encode([''])));
  const preprocessor = plan.preprocessor;
  const info: ModelInfo = {
    name: files.name, source: files.source, dtype: files.dtype,
    // Settled above, before any session opens, and no session falls back on its own: the one used.
    ...(options.device === 'cuda' ? { executionProvider: 'cuda' as const } : {}),
    textModelPath: files.textModel, visionModelPath: files.visionModel,
    hashes, embedDim: facts.embedDim, logitScale: facts.scoring.scale, contextLength: facts.contextLength,
    scoring: facts.scoring, family: plan.family,
    ...(hub ? { hub } : {}),
  };
  const encode = (raw: boolean) => async (texts: string[]): Promise<Float32Array> => {
    const { text } = await getTowers();
    const out = new Float32Array(texts.length * info.embedDim);
    for (let start = 0; start < texts.length; start += TEXT_BATCH) {
      const batch = getTokenizer().encode(texts.slice(start, start + TEXT_BATCH));
      const emb = await (raw ? text.runTextRaw(batch) : text.runText(batch));
      assertFiniteRows(emb, batch.ids.length, info.embedDim, { tower: 'text', path: text.path, itemOf: (i) => JSON.stringify(texts[start + i]) });
      out.set(emb, start * info.embedDim);
    }
    return out;
  };
  return {
    info,
    preprocessor,
    tokenize: (texts) => getTokenizer().tokenize(texts),
    encodeText: encode(false),
    encodeTextRaw: encode(true),
    preprocess: (image: RawImage) => preprocessImage(image, preprocessor),
    preprocessInto: (image: RawImage, out: Float32Array, offset: number) => void preprocessImage(image, preprocessor, out, offset),
    inspect: async () => {
      const { text, vision } = await getTowers();
      const side = (t: OnnxTower) => ({ path: t.path, inputs: t.inputs.map(({ name, type, shape }) => ({ name, type, shape })), output: t.outputName, combined: files.layout === 'combined' });
      const tok = getTokenizer();
      return {
        family: plan.family, layout: files.layout, text: side(text), vision: side(vision),
        padding: tok.padding, lowercase: tok.lowercase, eosId: tok.eosId, padId: tok.padId, scoringSource: facts.scoringSource,
        encode: (texts: string[]) => tok.encode(texts),
      };
    },
    encodePixels: async (pixels, n, items) => {
      if (pixels.length !== n * 3 * facts.height * facts.width) {
        throw new ZeroshiftError('INTERNAL', `encodePixels: ${pixels.length} floats is not ${n}x3x${facts.height}x${facts.width}`);
      }
      const { vision } = await getTowers();
      const emb = await vision.runPixels(pixels, [n, 3, facts.height, facts.width]);
      assertFiniteRows(emb, n, info.embedDim, { tower: 'vision', path: vision.path, itemOf: (i) => items?.[i], hint: zeroStdHint(preprocessor) });
      return emb;
    },
    dispose: async () => {
      if (!towers) return;
      await Promise.all((await towers).graphs.map((g) => g.release()));
    },
  };
}

/** A zero image_std is the usual cause of NaN image embeddings: (x - mean) / 0. */
function zeroStdHint(pre: PreprocessorConfig): string | undefined {
  if (!pre.doNormalize || !pre.imageStd.includes(0)) return undefined;
  return `preprocessor_config.json has image_std [${pre.imageStd.join(', ')}]: normalising divides by that zero; give the std the model was trained with`;
}
