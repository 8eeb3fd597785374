#!/usr/bin/env node
/** Prints the operator types (with counts) of an ONNX file: `node scripts/bench/listOps.mjs model.onnx`. */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { ONNX_PROTO } from './onnxProto.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/bench/listOps.mjs <model.onnx>');
  process.exit(2);
}
const ModelProto = protobuf.parse(ONNX_PROTO).root.lookupType('onnx.ModelProto');
const model = ModelProto.decode(readFileSync(file));
const counts = new Map();
for (const n of model.graph.node) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
const opset = model.opsetImport.map((o) => `${o.domain || 'ai.onnx'}:${o.version}`).join(', ');
console.log(`${file}: opset ${opset}`);
for (const [op, n] of [...counts].sort()) console.log(`  ${op.padEnd(20)} ${n}`);
