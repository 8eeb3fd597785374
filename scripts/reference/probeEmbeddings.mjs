// Writes test/fixtures/probe/embeddings.json: image embeddings of the embedded tiny CLIP on
// shapes dark scenes (train seed 1, test seed 0), the shared input of the linear-probe parity
// test and of probe_sklearn.py. Run once after `npm run build`; the output is committed.
import { writeFileSync } from 'node:fs';
import { loadModel } from '../../dist/model/loadModel.js';
import { openDataset } from '../../dist/datasets/registry.js';
import { carveValidation, fewShot } from '../../dist/probe/sweep.js';

const model = await loadModel('tiny-clip-shapes');
async function embed(spec) {
  const ds = await openDataset(spec);
  const x = [];
  const y = [];
  for await (const s of ds.samples()) {
    const e = await model.encodePixels(model.preprocess(s.image.render()), 1);
    x.push(e);
    y.push(s.label);
  }
  // float32 little-endian, base64: exact and a third the size of decimal text.
  const flat = new Float32Array(x.length * model.info.embedDim);
  x.forEach((e, i) => flat.set(e, i * model.info.embedDim));
  return { spec, classNames: ds.classNames, n: y.length, xFloat32Base64: Buffer.from(flat.buffer).toString('base64'), y };
}
const out = {
  model: 'tiny-clip-shapes',
  dim: model.info.embedDim,
  train: await embed('shapes:dark?n=600&seed=1'),
  test: await embed('shapes:dark?n=300&seed=0'),
};
// The seeded split and 8-shot set zeroshift's protocol draws, so the sklearn script can run
// the same sweep on the same items.
const y = Int32Array.from(out.train.y);
const split = carveValidation(y, out.train.classNames.length, 0.2, 0);
out.protocol = { seed: 0, valFraction: 0.2, fewshotK: 8, train: Array.from(split.train), val: Array.from(split.val), fewshot: Array.from(fewShot(split.train, y, out.train.classNames.length, 8)) };
await model.dispose();
writeFileSync(new URL('../../test/fixtures/probe/embeddings.json', import.meta.url), JSON.stringify(out) + '\n');
console.log(`wrote ${out.train.y.length} train and ${out.test.y.length} test embeddings of dim ${out.dim}`);
