#!/usr/bin/env node
/**
 * Would splitting a chunk's preprocessing between the main thread and one worker, both working
 * only while no inference runs, pay on this machine? (issue 30, lead "split each chunk's
 * preprocessing across both cores between runs"). One process, one ONNX Runtime session, the
 * same decoded chunk, three kinds of cycle interleaved:
 *
 *   run    inference only (the ceiling of this process);
 *   serial the main thread preprocesses the whole chunk, then inference (what the stream does);
 *   split  the second half of the chunk's images is copied into a reused SharedArrayBuffer and a
 *          worker preprocesses it while the main thread does the first half; the worker's floats
 *          are copied into the batch (onnxruntime-node refuses a SharedArrayBuffer-backed input
 *          tensor: "Invalid argument"), then inference.
 *
 * The split batch is checked byte for byte against the serial one. Prints median ms per chunk of
 * each part and each kind's rate as a share of `run`'s, with the load average.
 *
 *   npm run build && node scripts/bench/splitPreprocess.mjs [--cycles 8] [--threads 2]
 *     [--model benchmarks/generated/vit-b32-shaped] [--images benchmarks/generated/bench/jpeg-256]
 */
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');

if (!isMainThread) {
  // The worker: preprocess the images it is pointed at in the shared input into the shared output.
  const { preprocessImage } = await import(join(DIST, 'model', 'preprocess.js'));
  const { input, output, cfg, plane, slot } = workerData;
  const bytes = new Uint8Array(input);
  const floats = new Float32Array(output);
  parentPort.on('message', ({ sizes }) => {
    sizes.forEach(([width, height], k) => preprocessImage({ width, height, data: bytes.subarray(k * slot, k * slot + width * height * 3) }, cfg, floats, k * plane));
    parentPort.postMessage('done');
  });
} else {
  await main();
}

async function main() {
  const { values: flags } = parseArgs({ options: {
    cycles: { type: 'string', default: '8' }, threads: { type: 'string', default: '2' },
    model: { type: 'string', default: join(ROOT, 'benchmarks', 'generated', 'vit-b32-shaped') },
    images: { type: 'string', default: join(ROOT, 'benchmarks', 'generated', 'bench', 'jpeg-256') },
  } });
  const ort = await import('onnxruntime-node');
  const { decodeImage } = await import(join(DIST, 'image', 'decode.js'));
  const { readPreprocessorConfig } = await import(join(DIST, 'model', 'preprocessorConfig.js'));
  const { preprocessImage } = await import(join(DIST, 'model', 'preprocess.js'));
  const { sessionOptions } = await import(join(DIST, 'model', 'onnxTower.js'));
  const cfg = readPreprocessorConfig(join(flags.model, 'preprocessor_config.json'));
  const { height, width } = cfg.cropSize;
  const plane = 3 * height * width;
  const n = 32;
  const half = n / 2;
  const files = readdirSync(flags.images, { recursive: true }).filter((f) => f.endsWith('.jpg')).sort().slice(0, n);
  const images = await Promise.all(files.map((f) => decodeImage({ kind: 'path', path: join(flags.images, f) })));
  const slot = Math.max(...images.map((im) => im.data.length));
  const input = new SharedArrayBuffer(half * slot);
  const output = new SharedArrayBuffer(half * plane * 4);
  const shared = new Float32Array(output);
  const batch = new Float32Array(n * plane);
  const worker = new Worker(new URL(import.meta.url), { workerData: { input, output, cfg, plane, slot } });
  const session = await ort.InferenceSession.create(join(flags.model, 'onnx', 'vision_model.onnx'), sessionOptions({ threads: Number(flags.threads) }, ['cpu']));
  const outputs = [session.outputNames.includes('image_embeds') ? 'image_embeds' : session.outputNames[0]];
  const infer = () => session.run({ pixel_values: new ort.Tensor('float32', batch, [n, 3, height, width]) }, outputs);

  const serial = async () => {
    for (let i = 0; i < n; i++) preprocessImage(images[i], cfg, batch, i * plane);
  };
  const split = async () => {
    const bytes = new Uint8Array(input);
    images.slice(half).forEach((im, k) => bytes.set(im.data, k * slot));
    const done = new Promise((r) => worker.once('message', r));
    worker.postMessage({ sizes: images.slice(half).map((im) => [im.width, im.height]) });
    for (let i = 0; i < half; i++) preprocessImage(images[i], cfg, batch, i * plane);
    await done;
    batch.set(shared, half * plane);
  };

  await serial();
  const reference = batch.slice();
  batch.fill(0);
  await split();
  const same = Buffer.from(batch.buffer).equals(Buffer.from(reference.buffer));
  await infer();
  const kinds = { run: async () => undefined, serial, split };
  const times = Object.fromEntries(Object.keys(kinds).map((k) => [k, { prep: [], cycle: [] }]));
  const loadBefore = loadavg()[0];
  for (let c = 0; c < Number(flags.cycles); c++) {
    for (const [k, prep] of Object.entries(kinds)) {
      const t0 = performance.now();
      await prep();
      const t1 = performance.now();
      await infer();
      times[k].prep.push(t1 - t0);
      times[k].cycle.push(performance.now() - t0);
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const runCycle = median(times.run.cycle);
  console.log(`${files.length} images from ${flags.images}, ${flags.threads} ORT threads, ${flags.cycles} cycles each, load average ${loadBefore.toFixed(2)} → ${loadavg()[0].toFixed(2)}; split batch equals serial byte for byte: ${same}`);
  console.log('| cycle | preprocessing ms/chunk | cycle ms/chunk | img/s | × run |\n|---|---|---|---|---|');
  for (const [k, t] of Object.entries(times)) {
    const cycle = median(t.cycle);
    console.log(`| ${k} | ${median(t.prep).toFixed(1)} | ${cycle.toFixed(1)} | ${((n * 1000) / cycle).toFixed(1)} | ${(runCycle / cycle).toFixed(3)} |`);
  }
  await worker.terminate();
  await session.release();
  if (!same) process.exitCode = 1;
}
