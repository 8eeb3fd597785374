import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ZeroshiftError } from '../../errors.js';
import { addModelOptions, modelOptionsFrom, type ModelFlagValues } from '../modelOptions.js';
import { embedFiles } from '../../eval/embedFiles.js';
import { loadModel } from '../../model/loadModel.js';
import { probabilitiesRow, type ScoringRule } from '../../model/scoring.js';
import { cosineScores } from '../../eval/scoring.js';
import type { CliContext } from '../context.js';
import type { CommandRegistrar } from './index.js';

interface ClassifyFlags extends ModelFlagValues {
  labels: string;
  template: string;
  exifRotate?: boolean;
  top?: string;
  json?: boolean;
}

interface Ranked {
  label: string;
  probability: number;
}

function parseLabels(text: string): string[] {
  const labels = text.split(',').map((l) => l.trim()).filter((l) => l.length > 0);
  if (labels.length < 2) {
    throw new ZeroshiftError('INPUT', `--labels needs at least 2 comma-separated labels, got ${labels.length} ('${text}')`, {
      hint: 'e.g. --labels "red circle,blue square"',
    });
  }
  return labels;
}

function parseTop(text: string | undefined, count: number): number {
  if (text === undefined) return count;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ZeroshiftError('INPUT', `--top must be a positive integer, got '${text}'`);
  return Math.min(n, count);
}

/** Image `i`'s labels by probability under the model's scoring rule, from (N, C) cosines. */
function rank(cos: Float32Array, i: number, labels: string[], scoring: ScoringRule): Ranked[] {
  const probs = probabilitiesRow(cos, scoring, i * labels.length, labels.length);
  return labels.map((label, j) => ({ label, probability: probs[j]! })).sort((a, b) => b.probability - a.probability);
}

async function classify(images: string[], flags: ClassifyFlags, ctx: CliContext): Promise<void> {
  const labels = parseLabels(flags.labels);
  if (!flags.template.includes('{}')) {
    throw new ZeroshiftError('INPUT', `--template '${flags.template}' must contain {} where the label goes`);
  }
  const top = parseTop(flags.top, labels.length);
  const missing = images.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new ZeroshiftError('INPUT', `image file(s) not found: ${missing.join(', ')}`);
  const { ref, options } = modelOptionsFrom(flags, (m) => ctx.log.warn(m));
  const model = await loadModel(ref, options);
  try {
    const text = await model.encodeText(labels.map((l) => flags.template.replaceAll('{}', l)));
    const emb = await embedFiles(model, images, { exifRotate: flags.exifRotate });
    const cos = cosineScores(emb, images.length, text, labels.length, model.info.embedDim);
    const results = images.map((image, i) => ({ image, predictions: rank(cos, i, labels, model.info.scoring).slice(0, top) }));
    if (flags.json) {
      ctx.out(`${JSON.stringify({ model: model.info.name, dtype: model.info.dtype, logitScale: model.info.logitScale, scoring: model.info.scoring, results })}\n`);
      return;
    }
    for (const r of results) {
      ctx.out(`${r.image}\n${r.predictions.map((p) => `  ${p.probability.toFixed(4)}  ${p.label}`).join('\n')}\n`);
    }
  } finally {
    await model.dispose();
  }
}

const EXAMPLES = `
Examples:
  $ zeroshift classify photo.jpg --labels "red circle,blue square,green star"
  $ zeroshift classify a.png b.png --labels "cat,dog" --template "a blurry photo of a {}." --top 1
  $ zeroshift classify scan.jpg --labels "dog,cat" --model tiny-clip-shapes --dtype q8 --json

Probabilities follow the model's scoring rule: softmax(scale × cosine) over the labels for CLIP-style
models, an independent sigmoid(scale × cosine + bias) per label for SigLIP (not summing to 1).
Exit code 2 for fewer than 2 labels, missing or undecodable images, or an incomplete model.`;

/** `zeroshift classify`: zero-shot labels for images. */
export const registerClassify: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const cmd = program
    .command('classify')
    .description('zero-shot classify images against a list of labels')
    .argument('<image...>', 'image files (PNG, JPEG, WebP, GIF, TIFF...)')
    .requiredOption('--labels <list>', 'comma-separated class labels (at least 2)')
    .option('--template <text>', 'prompt template; {} is replaced by the label', 'a photo of a {}.')
    .option('--exif-rotate', 'apply EXIF orientation (PIL/CLIP ignore it by default)')
    .option('--top <n>', 'show only the n most probable labels')
    .option('--json', 'print one JSON document instead of text');
  addModelOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action((images: string[], flags: ClassifyFlags) => classify(images, flags, ctx));
};
