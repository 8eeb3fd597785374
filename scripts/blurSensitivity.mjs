// Blur sensitivity of the embedded model: shape top-1 on shapes standard (n=500) under a Gaussian
// blur of sigma pixels applied at the 64 px render size, for sigmas spanning and exceeding the
// ImageNet-C severities scaled to 64 px (0.29 ... 1.71 px). Run: `npm run blur-sensitivity`.
// Prints a Markdown table (pasted into docs/corruptions.md).
// The blur is not a registered shift (its sigmas are arbitrary), so it wraps the dataset's
// images; embedding, scoring and metrics go through the runner's own path: embedStream →
// cosineScores → the metrics accumulator (probabilities by the model's scoring rule).
import { buildClassifier, createMetricsAccumulator, loadModel, loadPromptSet, openDataset } from '../dist/index.js';
import { embedStream } from '../dist/embed/embedStream.js';
import { cosineScores } from '../dist/tasks/scoring.js';
import { gaussianBlurFloat } from '../dist/shifts/kernels.js';
import { fromFloat, toFloat } from '../dist/shifts/pixels.js';

const SIGMAS = [0, 0.29, 0.57, 0.86, 1.14, 1.71, 2, 3, 4, 6];
const SETTINGS = { batchSize: 64, decodeConcurrency: 4, exifRotate: false };

/** `dataset` with each generated image blurred by `sigma` px (0: unchanged). */
function blurred(dataset, sigma) {
  if (sigma === 0) return dataset;
  return {
    ...dataset,
    spec: `${dataset.spec}#blur=${sigma}`,
    fingerprint: `${dataset.fingerprint}:blur=${sigma}`,
    async *samples(options) {
      for await (const s of dataset.samples(options)) {
        if (s.image.kind !== 'generated') throw new Error(`${dataset.spec}: expected generated images`);
        const { key, render } = s.image;
        yield { ...s, image: { kind: 'generated', key: `${key}:blur=${sigma}`, render: () => fromFloat(gaussianBlurFloat(toFloat(render()), sigma)) } };
      }
    },
  };
}

const model = await loadModel();
const dim = model.info.embedDim;
const { set } = await loadPromptSet('shapes-shape');
const c = set.classNames.length;
const weights = await buildClassifier((t) => model.encodeText(t), dim, set.classNames, set.templates);
const dataset = await openDataset('shapes:standard?n=500');

console.log('| σ (px at 64) | top-1 % |\n|---|---|');
for (const sigma of SIGMAS) {
  const acc = createMetricsAccumulator(c, model.info.scoring);
  const batches = embedStream({
    dataset: blurred(dataset, sigma), model, cache: null, settings: SETTINGS, shift: null,
    onSkip: (item) => { throw new Error(`${item.id} skipped: ${item.reason}`); },
  });
  for await (const { items, embeddings } of batches) {
    const scores = cosineScores(embeddings, items.length, weights, c, dim);
    items.forEach((item, i) => acc.add(scores.subarray(i * c, (i + 1) * c), item.label));
  }
  console.log(`| ${sigma} | ${(100 * acc.finish().metrics.acc1).toFixed(1)} |`);
}
await model.dispose();
