#!/usr/bin/env node
/**
 * Writes a model directory whose vision tower has the shape of CLIP ViT-B/32 (224 px input,
 * 32 px patches, width 768, 12 layers, 12 heads, MLP 3072, projection 512) with seeded random
 * weights, built from the operator types of the exported tiny-clip-shapes tower (Conv, Reshape,
 * Transpose, Shape, Slice, Concat, Expand, Add, Mul, LayerNormalization, MatMul, Softmax,
 * Sigmoid, Gather). Its numbers are meaningless: it exists so speed is measured on a
 * realistic amount of compute. ~88 M parameters, ~350 MB: generated on demand, never committed.
 *
 *   node scripts/makeVitB32.mjs [--out benchmarks/generated/vit-b32-shaped] [--seed 0] [--force]
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GraphBuilder, encodeModel } from './bench/onnxGraph.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models', 'tiny-clip-shapes');
const VISION = { image: 224, patch: 32, width: 768, layers: 12, heads: 12, mlp: 3072, proj: 512 };
const TEXT = { context: 77, vocab: 49408, width: 64, proj: VISION.proj };

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'benchmarks', 'generated', 'vit-b32-shaped') },
    seed: { type: 'string', default: '0' },
    force: { type: 'boolean', default: false },
  },
});

/** Pre-LN CLIP vision transformer with quick_gelu, class-token pooling and a bias-free projection. */
function visionGraph(g, v) {
  const grid = v.image / v.patch;
  const tokens = grid * grid + 1;
  const headDim = v.width / v.heads;
  g.input('pixel_values', 1, ['batch_size', 3, v.image, v.image]);
  const conv = g.op('Conv', ['pixel_values', g.weight('patch_embedding', [v.width, 3, v.patch, v.patch])], { kernel_shape: [v.patch, v.patch], strides: [v.patch, v.patch] });
  const flat = g.op('Reshape', [conv, g.ints('patch_shape', [0, v.width, -1])]);
  const patches = g.op('Transpose', [flat], { perm: [0, 2, 1] });
  // The class token is broadcast to the batch the way the export does it: Shape → Slice → Concat → Expand.
  const batch = g.op('Slice', [g.op('Shape', [patches]), g.ints('s0', [0]), g.ints('s1', [1])]);
  const clsShape = g.op('Concat', [batch, g.ints('cls_tail', [1, v.width])], { axis: 0 });
  const cls = g.op('Expand', [g.weight('class_embedding', [1, 1, v.width]), clsShape]);
  const embedded = g.op('Add', [g.op('Concat', [cls, patches], { axis: 1 }), g.weight('position_embedding', [tokens, v.width])]);
  let h = g.layerNorm(embedded, 'pre_layrnorm', v.width);
  const scale = g.floats('attn_scale', [], [1 / Math.sqrt(headDim)]);
  const gelu = g.floats('quick_gelu', [], [1.702]);
  const headShape = g.ints('head_shape', [0, 0, v.heads, headDim]);
  const mergeShape = g.ints('merge_shape', [0, 0, v.width]);
  for (let l = 0; l < v.layers; l++) {
    const p = `layers.${l}`;
    const x = g.layerNorm(h, `${p}.layer_norm1`, v.width);
    const heads = (name, perm, s) => {
      const lin = g.linear(x, `${p}.${name}`, v.width, v.width);
      return g.op('Transpose', [g.op('Reshape', [s ? g.op('Mul', [lin, s]) : lin, headShape])], { perm });
    };
    const q = heads('q_proj', [0, 2, 1, 3], scale);
    const k = heads('k_proj', [0, 2, 3, 1]);
    const val = heads('v_proj', [0, 2, 1, 3]);
    const attn = g.op('Softmax', [g.op('MatMul', [q, k])], { axis: -1 });
    const merged = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [attn, val])], { perm: [0, 2, 1, 3] }), mergeShape]);
    h = g.op('Add', [h, g.linear(merged, `${p}.out_proj`, v.width, v.width)]);
    const y = g.linear(g.layerNorm(h, `${p}.layer_norm2`, v.width), `${p}.fc1`, v.width, v.mlp);
    const act = g.op('Mul', [y, g.op('Sigmoid', [g.op('Mul', [y, gelu])])]);
    h = g.op('Add', [h, g.linear(act, `${p}.fc2`, v.mlp, v.width)]);
  }
  const pooled = g.op('Gather', [h, g.ints('cls_index', null, [0])], { axis: 1 });
  const post = g.layerNorm(pooled, 'post_layernorm', v.width);
  g.op('MatMul', [post, g.weight('visual_projection', [v.width, v.proj])], {}, 'image_embeds');
  g.output('image_embeds', ['batch_size', v.proj]);
}

/**
 * A token-embedding-and-mean text tower with the right output width (512), so the model
 * directory loads in zeroshift (whose towers must agree on the width) and in transformers.js.
 */
function textGraph(g, t) {
  g.input('input_ids', 7, ['batch_size', t.context]);
  const tok = g.op('Gather', [g.weight('token_embedding', [t.vocab, t.width]), 'input_ids'], { axis: 0 });
  const x = g.layerNorm(g.op('Add', [tok, g.weight('position_embedding', [t.context, t.width])]), 'final_layer_norm', t.width);
  const pooled = g.op('ReduceMean', [x], { axes: [1], keepdims: 0 });
  g.op('MatMul', [pooled, g.weight('text_projection', [t.width, t.proj])], {}, 'text_embeds');
  g.output('text_embeds', ['batch_size', t.proj]);
}

function writeConfigs(out) {
  const config = JSON.parse(readFileSync(join(TINY, 'config.json'), 'utf8'));
  config.projection_dim = VISION.proj;
  config.text_config = { ...config.text_config, projection_dim: TEXT.proj };
  config.vision_config = {
    ...config.vision_config, hidden_size: VISION.width, image_size: VISION.image, patch_size: VISION.patch,
    intermediate_size: VISION.mlp, num_attention_heads: VISION.heads, num_hidden_layers: VISION.layers, projection_dim: VISION.proj,
  };
  writeFileSync(join(out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const pre = JSON.parse(readFileSync(join(TINY, 'preprocessor_config.json'), 'utf8'));
  pre.size = { shortest_edge: VISION.image };
  pre.crop_size = { height: VISION.image, width: VISION.image };
  writeFileSync(join(out, 'preprocessor_config.json'), `${JSON.stringify(pre, null, 2)}\n`);
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) copyFileSync(join(TINY, f), join(out, f));
  writeFileSync(join(out, 'README.md'), '# vit-b32-shaped\n\nRandom weights with the shape of CLIP ViT-B/32, written by scripts/makeVitB32.mjs for speed measurements only. Its predictions are meaningless.\n');
}

const out = values.out;
const visionFile = join(out, 'onnx', 'vision_model.onnx');
if (existsSync(visionFile) && !values.force) {
  console.log(`${visionFile} exists (use --force to rewrite)`);
} else {
  mkdirSync(join(out, 'onnx'), { recursive: true });
  const started = performance.now();
  const vision = new GraphBuilder(`vitb32:${values.seed}:vision`);
  visionGraph(vision, VISION);
  writeFileSync(visionFile, encodeModel(vision, 'vision_model'));
  const text = new GraphBuilder(`vitb32:${values.seed}:text`);
  textGraph(text, TEXT);
  writeFileSync(join(out, 'onnx', 'text_model.onnx'), encodeModel(text, 'text_model'));
  writeConfigs(out);
  console.log(`wrote ${out}: vision ${(vision.parameters / 1e6).toFixed(1)} M parameters in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
