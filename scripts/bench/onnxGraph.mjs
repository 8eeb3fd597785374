/**
 * A minimal ONNX graph builder (opset 17) for generated benchmark models: nodes, seeded
 * random float32 initializers, and serialisation with protobufjs.
 */
import protobuf from 'protobufjs';
import { createRng } from '../../dist/util/rng.js';
import { ONNX_PROTO, FLOAT, INT64, ATTR } from './onnxProto.mjs';

/** CLIP's initializer range: weights of this spread keep activations finite through 12 layers. */
const INIT_STD = 0.02;

function attribute(name, value) {
  if (Array.isArray(value)) return { name, type: ATTR.INTS, ints: value };
  if (Number.isInteger(value)) return { name, type: ATTR.INT, i: value };
  return { name, type: ATTR.FLOAT, f: value };
}

function dimsOf(shape) {
  return { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
}

/** Accumulates nodes and initializers; tensor names are generated unless given. */
export class GraphBuilder {
  constructor(seed) {
    this.rng = createRng(seed);
    this.nodes = [];
    this.initializers = [];
    this.inputs = [];
    this.outputs = [];
    this.parameters = 0;
    this.counter = 0;
  }

  /** Adds a node and returns its (single) output name. */
  op(opType, inputs, attrs = {}, output = `${opType.toLowerCase()}_${this.counter++}`) {
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return output;
  }

  /** A float32 initializer: uniform with std INIT_STD, or all `fill`. */
  weight(name, shape, fill) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (fill === undefined) {
      const half = INIT_STD * Math.sqrt(3);
      for (let i = 0; i < data.length; i++) data[i] = this.rng.uniform(-half, half);
      this.parameters += data.length;
    } else if (fill !== 0) {
      data.fill(fill);
    }
    this.initializers.push({ name, dims: shape, dataType: FLOAT, rawData: new Uint8Array(data.buffer) });
    return name;
  }

  /** An int64 constant (shape `null` makes a scalar). */
  ints(name, values, scalar) {
    const data = scalar ?? values;
    this.initializers.push({ name, dims: values === null ? [] : [data.length], dataType: INT64, rawData: new Uint8Array(BigInt64Array.from(data, BigInt).buffer) });
    return name;
  }

  /** A float32 constant. */
  floats(name, shape, values) {
    this.initializers.push({ name, dims: shape, dataType: FLOAT, rawData: new Uint8Array(Float32Array.from(values).buffer) });
    return name;
  }

  /** LayerNormalization over the last axis with unit weight and zero bias (eps 1e-5). */
  layerNorm(x, name, width) {
    return this.op('LayerNormalization', [x, this.weight(`${name}.weight`, [width], 1), this.weight(`${name}.bias`, [width], 0)], { axis: -1, epsilon: 1e-5 });
  }

  /** x · W + b with W stored (in, out), as the PyTorch export pre-transposes it. */
  linear(x, name, inWidth, outWidth) {
    return this.op('Add', [this.op('MatMul', [x, this.weight(`${name}.weight`, [inWidth, outWidth])]), this.weight(`${name}.bias`, [outWidth])]);
  }

  input(name, elemType, shape) {
    this.inputs.push({ name, type: { tensorType: { elemType, shape: dimsOf(shape) } } });
  }

  output(name, shape) {
    this.outputs.push({ name, type: { tensorType: { elemType: FLOAT, shape: dimsOf(shape) } } });
  }
}

/** Serialises a built graph as an ONNX model (IR 8, opset 17). */
export function encodeModel(g, name) {
  const ModelProto = protobuf.parse(ONNX_PROTO).root.lookupType('onnx.ModelProto');
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'zeroshift scripts/makeVitB32.mjs',
    producerVersion: '1',
    graph: { name, node: g.nodes, initializer: g.initializers, input: g.inputs, output: g.outputs },
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
