// Blur sensitivity of the embedded model: shape top-1 on shapes standard (n=500) under a Gaussian
// blur of sigma pixels applied at the 64 px render size, for sigmas spanning and exceeding the
// ImageNet-C severities scaled to 64 px (0.29 ... 1.71 px). Run after `npm run build`:
//   node scripts/blurSensitivity.mjs
// Prints a Markdown table (pasted into docs/corruptions.md).
import { loadModel } from '../dist/model/loadModel.js';
import { openShapes } from '../dist/datasets/shapes/adapter.js';
import { parseShapesOptions } from '../dist/datasets/shapes/options.js';
import { gaussianBlurFloat } from '../dist/shifts/kernels.js';
import { toFloat, fromFloat } from '../dist/shifts/pixels.js';
import { buildClassifier, getPromptSet } from '../dist/prompts/index.js';
import { cosineScores } from '../dist/eval/scoring.js';
import { createMetricsAccumulator } from '../dist/metrics/index.js';

const SIGMAS = [0, 0.29, 0.57, 0.86, 1.14, 1.71, 2, 3, 4, 6];
const model = await loadModel();
const dim = model.info.embedDim;
const set = getPromptSet('shapes-shape');
const weights = await buildClassifier((t) => model.encodeText(t), dim, set.classNames, set.templates);
const items = [];
for await (const s of openShapes(parseShapesOptions('standard', { n: '500' })).samples()) items.push({ image: s.image.render(), label: s.label });

const plane = 3 * model.preprocessor.cropSize.height * model.preprocessor.cropSize.width;
console.log('| σ (px at 64) | top-1 % |\n|---|---|');
for (const sigma of SIGMAS) {
  const acc = createMetricsAccumulator(set.classNames.length, model.info.logitScale);
  for (let b = 0; b < items.length; b += 64) {
    const chunk = items.slice(b, b + 64);
    const pixels = new Float32Array(chunk.length * plane);
    chunk.forEach((it, i) => pixels.set(model.preprocess(sigma > 0 ? fromFloat(gaussianBlurFloat(toFloat(it.image), sigma)) : it.image), i * plane));
    const emb = await model.encodePixels(pixels, chunk.length);
    const scores = cosineScores(emb, chunk.length, weights, set.classNames.length, dim);
    chunk.forEach((it, i) => acc.add(scores.subarray(i * set.classNames.length, (i + 1) * set.classNames.length), it.label));
  }
  console.log(`| ${sigma} | ${(100 * acc.finish().metrics.acc1).toFixed(1)} |`);
}
await model.dispose();
