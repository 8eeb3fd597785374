import { describe, expect, it } from 'vitest';
import { dtypesPresent, selectFiles } from '../../src/hub/select.js';

// A transformers.js export shaped like Xenova/clip-vit-base-patch32: three layouts, eight dtypes.
const DTYPES = ['', '_fp16', '_quantized', '_int8', '_uint8', '_q4', '_q4f16', '_bnb4'];
const XENOVA_CLIP = [
  '.gitattributes', 'README.md', 'config.json', 'merges.txt', 'preprocessor_config.json', 'quantize_config.json',
  'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.json',
  ...DTYPES.flatMap((s) => [`onnx/model${s}.onnx`, `onnx/text_model${s}.onnx`, `onnx/vision_model${s}.onnx`]),
];
const CONFIGS = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

describe('selectFiles', () => {
  it('takes the configs and the two towers of the one dtype asked for', () => {
    expect(selectFiles(XENOVA_CLIP, 'fp32', { ref: 'r' })).toEqual({ layout: 'split', files: [...CONFIGS, 'onnx/text_model.onnx', 'onnx/vision_model.onnx'] });
    expect(selectFiles(XENOVA_CLIP, 'q4f16', { ref: 'r' }).files.slice(-2)).toEqual(['onnx/text_model_q4f16.onnx', 'onnx/vision_model_q4f16.onnx']);
    expect(dtypesPresent(XENOVA_CLIP)).toEqual(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']);
  });

  it('adds the combined graph for SigLIP, whose logits carry the trained scale and bias', () => {
    const siglip = selectFiles(XENOVA_CLIP, 'q8', { ref: 'r', modelType: 'siglip' });
    expect(siglip.files.slice(-3)).toEqual(['onnx/text_model_quantized.onnx', 'onnx/vision_model_quantized.onnx', 'onnx/model_quantized.onnx']);
  });

  it('a combined-only export (Chinese-CLIP, Jina v2) gets onnx/model.onnx with its external data', () => {
    const files = ['config.json', 'tokenizer.json', 'onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data'];
    expect(selectFiles(files, 'fp32', { ref: 'r' })).toEqual({ layout: 'combined', files: ['config.json', 'tokenizer.json', 'onnx/model.onnx', 'onnx/model.onnx_data'] });
    expect(selectFiles(files, 'fp16', { ref: 'r' }).files.slice(-2)).toEqual(['onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data']);
  });

  it("an optimum export's root model.onnx is the last resort", () => {
    const files = ['config.json', 'model.onnx', 'model.onnx_data', 'onnx/model_quantized.onnx'];
    expect(selectFiles(files, 'fp32', { ref: 'r' })).toEqual({ layout: 'root', files: ['config.json', 'model.onnx', 'model.onnx_data'] });
    expect(selectFiles(files, 'q8', { ref: 'r' }).layout).toBe('combined');
  });

  it('refuses a dtype with no graphs or an unknown dtype, listing what there is', () => {
    expect(() => selectFiles(['config.json', 'pytorch_model.bin'], 'fp32', { ref: 'hf:a/b@main' })).toThrow(/hf:a\/b@main: no ONNX graphs for --dtype fp32/);
    expect(() => selectFiles(XENOVA_CLIP, 'fp64', { ref: 'r' })).toThrow("unknown dtype 'fp64'; known: fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4");
  });
});
