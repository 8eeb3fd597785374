import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ZeroshiftError } from '../../errors.js';
import { addModelOptions, modelOptionsFrom, type ModelFlagValues } from '../modelOptions.js';
import { probabilitiesRow, type ScoringRule } from '../../model/scoring.js';
import { cosineScores } from '../../tasks/scoring.js';
import type { CliContext } from '../context.js';
import type { CommandRegistrar } from './index.js';
import { collect } from '../options.js';
import { checkTemplates, DEFAULT_TEMPLATE } from '../../prompts/template.js';
import { buildClassifier } from '../../prompts/classifier.js';
import type { ClassName } from '../../prompts/schema.js';
import { builtinModels } from '../../model/builtinModels.js';

interface ClassifyFlags extends ModelFlagValues {
  labels?: string;
  prompts?: string;
  template?: string[];
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
  return labels.map((label, j) => ({ label, probability: probs[j] })).sort((a, b) => b.probability - a.probability);
}

/**
 * The class names and templates to score: --labels (else the prompt set's class names) with the
 * prompt set's templates (e.g. CLIP's 80 ImageNet templates, ensembled) or --template (repeatable,
 * ensembled the same way), default "a photo of a {}.".
 */
async function labelsAndTemplates(flags: ClassifyFlags): Promise<{ classNames: ClassName[]; templates: string[]; classPrompts?: string[][]; promptSet: string | null }> {
  if (flags.prompts && flags.template?.length) {
    throw new ZeroshiftError('USAGE', 'give either --prompts or --template, not both', { hint: '--template adds literal templates; --prompts takes a shipped set id, cb:<dataset> or a JSON file' });
  }
  // Prompt sets (zod schemas) load here, not at start-up.
  const set = flags.prompts ? (await (await import('../../prompts/registry.js')).loadPromptSet(flags.prompts)).set : null;
  let classNames: ClassName[];
  if (set?.classPrompts && flags.labels !== undefined) {
    throw new ZeroshiftError('USAGE', `prompt set '${flags.prompts}' has its own sentences for each of its ${set.classPrompts.length} classes, so it cannot take --labels`, { hint: 'drop --labels to classify among its classes' });
  }
  if (flags.labels !== undefined) classNames = parseLabels(flags.labels);
  else if (set?.classNames) classNames = set.classNames;
  else {
    throw new ZeroshiftError('USAGE', set ? `prompt set '${flags.prompts}' has templates only; give the classes with --labels` : 'give the classes with --labels "a,b,c" (or a --prompts set that has class names)', {
      hint: 'e.g. --labels "red circle,blue square" or --prompts imagenet',
    });
  }
  const templates = set ? set.templates : flags.template?.length ? flags.template : [DEFAULT_TEMPLATE];
  if (!set?.classPrompts) checkTemplates(templates, set ? `prompt set '${flags.prompts}'` : '--template');
  return { classNames, templates, ...(set?.classPrompts ? { classPrompts: set.classPrompts } : {}), promptSet: set ? flags.prompts! : null };
}

async function classify(images: string[], flags: ClassifyFlags, ctx: CliContext): Promise<void> {
  const { classNames, templates, classPrompts, promptSet } = await labelsAndTemplates(flags);
  const { displayName } = await import('../../prompts/schema.js');
  const labels = classNames.map(displayName);
  const top = parseTop(flags.top, labels.length);
  const missing = images.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new ZeroshiftError('INPUT', `image file(s) not found: ${missing.join(', ')}`);
  const { ref, options } = modelOptionsFrom(flags, (m) => ctx.log.warn(m));
  // Loaded on use, not at start-up (ONNX Runtime, sharp, tokenizers): see docs/performance.md.
  const [{ embedFiles }, { loadModel }] = await Promise.all([import('../../embed/embedFiles.js'), import('../../model/loadModel.js')]);
  const model = await loadModel(ref, options);
  try {
    // One path for one template or many: normalise, average, normalise (CLIP's ensembling).
    const text = await buildClassifier((t) => model.encodeText(t), model.info.embedDim, classNames, templates, 'clip', { classPrompts });
    const emb = await embedFiles(model, images, { exifRotate: flags.exifRotate });
    const cos = cosineScores(emb, images.length, text, labels.length, model.info.embedDim);
    const results = images.map((image, i) => ({ image, predictions: rank(cos, i, labels, model.info.scoring).slice(0, top) }));
    if (flags.json) {
      ctx.out(`${JSON.stringify({ model: model.info.name, dtype: model.info.dtype, logitScale: model.info.logitScale, scoring: model.info.scoring, prompts: { set: promptSet, templates: templates.length }, results })}\n`);
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
  $ zeroshift classify photo.jpg --labels "circle,square,star" -t "a photo of a {}." -t "a drawing of a {}."
  $ zeroshift classify photo.jpg --labels "cat,dog,car" --prompts imagenet     # CLIP's 80 ImageNet templates, ensembled
  $ zeroshift classify a.png --prompts shapes-shape --top 3                    # the set's own class names
  $ zeroshift classify scan.jpg --labels "dog,cat" -m tiny-clip-shapes --dtype q8 --json
  $ zeroshift classify b.png --labels "circle,square" -m tiny-clip-shapes-robust

With your model:
  zeroshift classify photo.jpg --labels "tabby cat,tiger cat,lynx" -m hf:Xenova/clip-vit-base-patch32 --prompts imagenet-7
  zeroshift classify photo.jpg --prompts imagenet --top 5 -m ./clip-vit-b32    # the 1000 ImageNet classes

Built-in models: ${[...builtinModels().keys()].join(', ')} (tiny-clip-shapes has q8 towers).
Several templates (--prompts SET or repeated --template) are ensembled as CLIP does: each prompt
embedding normalised, averaged per class, normalised.
Probabilities follow the model's scoring rule: softmax(scale × cosine) over the labels for CLIP-style
models, an independent sigmoid(scale × cosine + bias) per label for SigLIP (not summing to 1).
Exit code 2 for fewer than 2 labels, missing or undecodable images, or an incomplete model.`;

/** `zeroshift classify`: zero-shot labels for images. */
export const registerClassify: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const cmd = program
    .command('classify')
    .description('zero-shot classify images against a list of labels')
    .argument('<image...>', 'image files (PNG, JPEG, WebP, GIF, TIFF...)')
    .option('-l, --labels <list>', 'comma-separated class labels (at least 2); default: the --prompts set\'s class names')
    .option('-p, --prompts <set>', 'prompt set whose templates are ensembled: shipped id (imagenet: CLIP\'s 80 templates), cb:<dataset>, or JSON file')
    .option('-t, --template <text>', `a literal template with {} (repeatable; default "${DEFAULT_TEMPLATE}")`, collect)
    .option('--exif-rotate', 'apply EXIF orientation (PIL/CLIP ignore it by default)')
    .option('--top <n>', 'show only the n most probable labels')
    .option('--json', 'print one JSON document instead of text');
  addModelOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action((images: string[], flags: ClassifyFlags) => classify(images, flags, ctx));
};
