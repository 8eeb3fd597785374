/**
 * The measured phases of `npm run bench`. Each runs alone in a child process (scripts/bench/
 * runPhase.mjs) so its peak resident memory is its own and ORT sessions do not share threads.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';

function visionFile(modelDir, dtype) {
  return join(modelDir, 'onnx', dtype === 'q8' ? 'vision_model_quantized.onnx' : 'vision_model.onnx');
}

/**
 * The ORT ceiling: inference only, on one pre-built (batch, 3, S, S) tensor, with zeroshift's own
 * session options (its `sessionOptions`: threads, spin-waiting, graph optimisation).
 */
export async function ceiling(a) {
  const { sessionOptions } = await import(`${a.dist ?? '../../dist'}/model/onnxTower.js`);
  const session = await ort.InferenceSession.create(visionFile(a.model, a.dtype), sessionOptions({ threads: a.threads, spinWait: a.spinWait }, ['cpu']));
  const dims = [a.batchSize, 3, a.size, a.size];
  const data = new Float32Array(dims.reduce((x, y) => x * y, 1)).map((_, i) => Math.sin(i * 0.01));
  const feeds = { pixel_values: new ort.Tensor('float32', data, dims) };
  const outputs = [session.outputNames.includes('image_embeds') ? 'image_embeds' : session.outputNames[0]];
  await session.run(feeds, outputs);
  const runs = Math.max(1, Math.ceil(a.n / a.batchSize));
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await session.run(feeds, outputs);
  const seconds = (performance.now() - t0) / 1000;
  await session.release();
  return { images: runs * a.batchSize, seconds, imagesPerSecond: (runs * a.batchSize) / seconds };
}

/**
 * zeroshift end to end through the library the CLI calls: files on disk → result JSON with
 * metrics. `models` (several) share one pass over the images; the rates are of the first result.
 */
export async function zeroshift(a) {
  const t0 = performance.now();
  const dist = a.dist ?? '../../dist';
  const [{ buildPlan }, { runPlan }, { silentLogger }] = await Promise.all([import(`${dist}/eval/plan.js`), import(`${dist}/eval/runPlan.js`), import(`${dist}/util/log.js`)]);
  const plan = await buildPlan({ models: a.models ?? [a.model], datasets: [`folder:${a.images}`], templates: a.templates, ensembling: 'clip', env: {} });
  const outcome = await runPlan(plan.units, {
    outDir: a.out, cacheDir: a.cacheDir, batchSize: a.batchSize, decodeConcurrency: a.decodeConcurrency ?? 8,
    exifRotate: false, skipExisting: false, argv: ['bench'], log: silentLogger, decodeWorkers: a.decodeWorkers ?? 0,
    model: { dtype: a.dtype, threads: a.threads, ...(a.spinWait === undefined ? {} : { spinWait: a.spinWait }) },
  });
  const seconds = (performance.now() - t0) / 1000;
  const r = outcome.results[0];
  return {
    images: r.metrics.n, results: outcome.results.length, seconds, imagesPerSecond: r.metrics.n / seconds,
    unitSeconds: r.timings.totalSeconds, unitImagesPerSecond: r.timings.imagesPerSecond,
    computed: r.timings.imagesComputed, fromCache: r.timings.imagesFromCache, acc1: r.metrics.acc1,
  };
}

function listImages(dir) {
  const classes = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const items = [];
  classes.forEach((c, label) => {
    for (const f of readdirSync(join(dir, c)).sort()) items.push({ path: join(dir, c, f), label });
  });
  return { classes, items };
}

/**
 * transformers.js end to end with its own classes: AutoProcessor + CLIPVisionModelWithProjection
 * on batches of decoded images, CLIPTextModelWithProjection for the class prompts, cosine top-1.
 */
export async function transformers(a) {
  const t0 = performance.now();
  const tf = await import('@huggingface/transformers');
  tf.env.allowRemoteModels = false;
  tf.env.localModelPath = dirname(resolve(a.model));
  const id = basename(a.model);
  const opts = { local_files_only: true, dtype: a.dtype === 'q8' ? 'q8' : 'fp32', device: 'cpu' };
  const processor = await tf.AutoProcessor.from_pretrained(id, opts);
  const tokenizer = await tf.AutoTokenizer.from_pretrained(id, opts);
  const vision = await tf.CLIPVisionModelWithProjection.from_pretrained(id, opts);
  const text = await tf.CLIPTextModelWithProjection.from_pretrained(id, opts);
  const { classes, items } = listImages(a.images);
  const tokens = tokenizer(classes.map((c) => `a photo of a ${c}.`), { padding: 'max_length', max_length: 77, truncation: true });
  const classEmb = (await text(tokens)).text_embeds.normalize(2, -1);
  let correct = 0;
  for (let start = 0; start < items.length; start += a.batchSize) {
    const batch = items.slice(start, start + a.batchSize);
    const images = await Promise.all(batch.map((it) => tf.RawImage.read(it.path)));
    const { pixel_values } = await processor(images);
    const emb = (await vision({ pixel_values })).image_embeds.normalize(2, -1);
    const scores = (await tf.matmul(emb, classEmb.transpose(1, 0))).tolist();
    scores.forEach((row, i) => {
      if (row.indexOf(Math.max(...row)) === batch[i].label) correct++;
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  return { images: items.length, seconds, imagesPerSecond: items.length / seconds, acc1: correct / items.length };
}

/**
 * The image pipeline alone (inference off): the real stream (read → decode → shift →
 * preprocess) over the images, with `decodeWorkers` workers, into a model whose towers return
 * zeros, so the rate is the pipeline's ceiling for feeding a GPU. `shifts` (e.g. ['fog:3'])
 * are applied as separate lanes, each shifted once per image.
 */
export async function pipeline(a) {
  const t0 = performance.now();
  const dist = a.dist ?? '../../dist';
  const [{ embedLanes }, { PixelPool }, { openDataset }, { readPreprocessorConfig }, { preprocessImage }, { parseShift }] = await Promise.all([
    import(`${dist}/embed/embedStream.js`), import(`${dist}/embed/pixelPool.js`), import(`${dist}/datasets/registry.js`),
    import(`${dist}/model/preprocessorConfig.js`), import(`${dist}/model/preprocess.js`), import(`${dist}/shifts/registry.js`),
  ]);
  // The model's preprocessing, and towers that return zeros: no ONNX Runtime session at all.
  const preprocessor = readPreprocessorConfig(join(a.model, 'preprocessor_config.json'));
  const model = {
    info: { embedDim: 1 }, preprocessor,
    preprocess: (image) => preprocessImage(image, preprocessor),
    preprocessInto: (image, out, offset) => void preprocessImage(image, preprocessor, out, offset),
    encodePixels: async (_pixels, n) => new Float32Array(n),
  };
  const dataset = await openDataset(`folder:${a.images}`);
  const pool = a.decodeWorkers > 0 ? new PixelPool(a.decodeWorkers) : undefined;
  const lanes = (a.shifts?.length ? a.shifts.map(parseShift) : [null]).map((shift) => ({ model, cache: null, shift }));
  const settings = { batchSize: a.batchSize, decodeConcurrency: a.decodeConcurrency ?? 8, exifRotate: false, pixelPool: pool };
  const started = performance.now();
  let images = 0;
  try {
    for await (const batches of embedLanes({ dataset, lanes, settings, onSkip: () => undefined })) images += batches[0].items.length;
  } finally {
    await pool?.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { images, lanes: lanes.length, decodeWorkers: a.decodeWorkers, seconds, imagesPerSecond: images / seconds, setupSeconds: (started - t0) / 1000 };
}
