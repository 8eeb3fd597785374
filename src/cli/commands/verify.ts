import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ZeroshiftError } from '../../errors.js';
import { addRuntimeOptions, runtimeOptionsFrom, type ModelFlagValues } from '../modelOptions.js';
import type { VerifyReference } from '../../model/describe.js';
import type { ClipModel, TowerInspection } from '../../model/types.js';
import type { CliContext } from '../context.js';
import type { CommandRegistrar } from './index.js';

/** The verify helpers (describe.ts loads zod), imported when the command runs. */
type Describe = typeof import('../../model/describe.js');

interface VerifyFlags extends Omit<ModelFlagValues, 'model'> {
  reference?: string;
}

const SAMPLES = ['a photo of a dog.', 'A Photo Of A DOG', ''];

function tower(t: TowerInspection): string {
  const inputs = t.inputs.map((i) => `${i.name} ${i.type} [${i.shape.join(', ')}]`).join(', ');
  return `${t.path}${t.combined ? ' (combined)' : ''}: feeds ${inputs}; reads '${t.output}'`;
}

function readReference(file: string, parseVerifyReference: Describe['parseVerifyReference']): VerifyReference {
  if (!existsSync(file)) throw new ZeroshiftError('INPUT', `${file}: reference file not found`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('INPUT', `${file}: cannot read reference: ${(e as Error).message}`);
  }
  return parseVerifyReference(json, file);
}

/** Cosines of the model's embeddings against the reference's, one line each; throws on any below the minimum. */
async function compare(model: ClipModel, file: string, ctx: CliContext, { cosine, parseVerifyReference }: Describe): Promise<void> {
  const ref = readReference(file, parseVerifyReference);
  const d = model.info.embedDim;
  const checks: { what: string; cos: number }[] = [];
  for (const item of ref.images) {
    const path = resolve(dirname(file), item.path);
    const { decodeImage } = await import('../../image/decode.js');
    const pixels = model.preprocess(await decodeImage({ kind: 'path', path }));
    const emb = await model.encodePixels(pixels, 1);
    checks.push({ what: `image ${item.path}`, cos: item.embedding.length === d ? cosine(emb, item.embedding) : NaN });
  }
  if (ref.texts.length > 0) {
    const emb = await model.encodeText(ref.texts.map((t) => t.text));
    ref.texts.forEach((t, i) => checks.push({ what: `text ${JSON.stringify(t.text)}`, cos: t.embedding.length === d ? cosine(emb.subarray(i * d, (i + 1) * d), t.embedding) : NaN }));
  }
  for (const c of checks) ctx.out(`  ${Number.isNaN(c.cos) ? 'width mismatch' : c.cos.toFixed(6)}  ${c.what}\n`);
  const bad = checks.filter((c) => !(c.cos >= ref.min_cosine));
  if (bad.length > 0) {
    const worst = bad.reduce((a, b) => (Number.isNaN(b.cos) || b.cos < a.cos ? b : a));
    throw new ZeroshiftError('MODEL', `${file}: ${bad.length} of ${checks.length} embedding(s) below cosine ${ref.min_cosine} (worst: ${worst.what} at ${Number.isNaN(worst.cos) ? `width ${d} vs the reference's` : worst.cos.toFixed(6)})`, {
      hint: 'check the preprocessing and tokenizer lines above against the export (docs/models.md, "Checking an export")',
    });
  }
  ctx.out(`reference: all ${checks.length} embedding(s) at cosine >= ${ref.min_cosine}\n`);
}

/**
 * Runs both towers on the sample texts and a mid-grey image and prints whether their outputs are
 * finite; a NaN or Inf (a zero image_std, a broken export) is reported on its line, then exit 2.
 */
async function checkOutputs(model: ClipModel, ctx: CliContext): Promise<void> {
  const { height, width } = model.preprocessor.cropSize;
  const grey = { width, height, data: new Uint8Array(width * height * 3).fill(128) };
  for (const run of [() => model.encodeText(SAMPLES), () => model.encodePixels(model.preprocess(grey), 1, [`a mid-grey ${width}x${height} image`])]) {
    try {
      await run();
    } catch (e) {
      if (!(e instanceof ZeroshiftError) || e.code !== 'MODEL') throw e;
      ctx.out(`outputs     ${e.message}\n`);
      throw e;
    }
  }
  ctx.out('outputs     text and vision towers give finite embeddings for the texts above and a mid-grey image\n');
}

async function verify(modelRef: string, flags: VerifyFlags, ctx: CliContext): Promise<void> {
  // Loaded on use, not at start-up (ONNX Runtime, tokenizers, zod): see docs/performance.md.
  const [{ loadModel }, describe] = await Promise.all([import('../../model/loadModel.js'), import('../../model/describe.js')]);
  const { describePreprocessing, describeScoring, describeTokens, preprocessingDifferences } = describe;
  const model = await loadModel(modelRef, { ...runtimeOptionsFrom(flags), onWarning: (m) => ctx.log.warn(m) });
  try {
    const info = model.info;
    const seen = await model.inspect!();
    const diffs = preprocessingDifferences(model.preprocessor, seen.family);
    const lines = [
      `model       ${info.name} (${info.source}), dtype ${info.dtype}`,
      `family      ${seen.family}, ${seen.layout} graph(s), embedding width ${info.embedDim}`,
      `text        ${tower(seen.text)}`,
      `vision      ${tower(seen.vision)}`,
      `preprocess  ${describePreprocessing(model.preprocessor)}`,
      `            ${diffs.length ? `differs from ${seen.family}'s usual: ${diffs.join('; ')}` : `as ${seen.family} usually does`}`,
      `tokenizer   context ${info.contextLength}, padding ${seen.padding}, end token id ${seen.eosId}, pad id ${seen.padId}${seen.lowercase ? ', lowercased' : ''}`,
      ...describeTokens(SAMPLES, seen.encode(SAMPLES), seen.eosId).map((l) => `            ${l}`),
      `scoring     ${describeScoring(info.scoring)}; from ${seen.scoringSource}`,
    ];
    ctx.out(`${lines.join('\n')}\n`);
    await checkOutputs(model, ctx);
    if (flags.reference) await compare(model, flags.reference, ctx, describe);
  } finally {
    await model.dispose();
  }
}

const EXAMPLES = `
Examples:
  $ zeroshift verify tiny-clip-shapes
  $ zeroshift verify tiny-clip-shapes --dtype q8

With your export:
  zeroshift verify ./siglip-base-patch16-224
  zeroshift verify ./my-export --reference reference.json

Prints the family detected, the inputs fed and outputs read, the preprocessing (and how it differs
from the family's usual settings), what the tokenizer does with a few strings, and the scoring rule.
--reference FILE: {"images": [{"path", "embedding"}], "texts": [{"text", "embedding"}], "min_cosine"?}
(paths relative to FILE; docs/models.md shows the Python that writes it). Exits 2 when the model
cannot load, a tower outputs NaN or Inf (the outputs line names it), or an embedding is below
min_cosine (default 0.9999).`;

/** `zeroshift verify`: a conformance check of a model export. */
export const registerVerify: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const cmd = program
    .command('verify')
    .description('check a model export: family, graphs, preprocessing, tokenizer, scoring; compare with reference embeddings')
    .argument('<model>', 'model directory, zeroshift-model.json spec, built-in name or hf:ORG/NAME[@REV]')
    .option('--reference <file>', 'JSON of images and texts with expected embeddings');
  addRuntimeOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action((model: string, flags: VerifyFlags) => verify(model, flags, ctx));
};
