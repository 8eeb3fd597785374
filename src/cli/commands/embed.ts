import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ZeroshiftError } from '../../errors.js';
import { addModelOptions, modelOptionsFrom, type ModelFlagValues } from '../modelOptions.js';
import { writeFileAtomic } from '../../util/atomicWrite.js';
import type { CliContext } from '../context.js';
import type { CommandRegistrar } from './index.js';

interface EmbedFlags extends ModelFlagValues {
  image: string[];
  text: string[];
  exifRotate?: boolean;
  out?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function jsonLines(type: 'image' | 'text', inputs: string[], emb: Float32Array, d: number): string[] {
  return inputs.map((input, i) => JSON.stringify({ type, input, embedding: Array.from(emb.subarray(i * d, (i + 1) * d)) }));
}

async function embed(flags: EmbedFlags, ctx: CliContext): Promise<void> {
  if (flags.image.length === 0 && flags.text.length === 0) {
    throw new ZeroshiftError('INPUT', 'nothing to embed: give at least one --image PATH or --text STRING');
  }
  const missing = flags.image.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new ZeroshiftError('INPUT', `image file(s) not found: ${missing.join(', ')}`);
  const { ref, options } = modelOptionsFrom(flags, (m) => ctx.log.warn(m));
  // Loaded on use, not at start-up (ONNX Runtime, sharp, tokenizers): see docs/performance.md.
  const [{ embedFiles }, { loadModel }] = await Promise.all([import('../../embed/embedFiles.js'), import('../../model/loadModel.js')]);
  const model = await loadModel(ref, options);
  let lines: string[];
  try {
    const d = model.info.embedDim;
    const images = await embedFiles(model, flags.image, { exifRotate: flags.exifRotate });
    const texts = await model.encodeText(flags.text);
    lines = [...jsonLines('image', flags.image, images, d), ...jsonLines('text', flags.text, texts, d)];
  } finally {
    await model.dispose();
  }
  const body = lines.map((l) => `${l}\n`).join('');
  if (flags.out) {
    await writeFileAtomic(flags.out, body);
    ctx.log.info(`wrote ${lines.length} embedding(s) to ${flags.out}`);
  } else {
    ctx.out(body);
  }
}

const EXAMPLES = `
Examples:
  $ zeroshift embed --image photo.jpg --text "a photo of a dog."
  $ zeroshift embed --image a.png --image b.png --out embeddings.jsonl
  $ zeroshift embed --text "a red circle" --model v32x2-s150

Output: JSON lines {"type":"image"|"text","input":...,"embedding":[...]}, L2-normalised;
all images first (in the order given), then all texts (in the order given).`;

/** `zeroshift embed`: L2-normalised CLIP embeddings as JSON lines. */
export const registerEmbed: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const cmd = program
    .command('embed')
    .description('print L2-normalised image and text embeddings as JSON lines')
    .option('--image <path>', 'image file to embed (repeatable)', collect, [])
    .option('--text <string>', 'text to embed, used verbatim (repeatable)', collect, [])
    .option('--exif-rotate', 'apply EXIF orientation before preprocessing')
    .option('--out <file>', 'write the JSON lines to a file (atomically) instead of stdout');
  addModelOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action((flags: EmbedFlags) => embed(flags, ctx));
};
