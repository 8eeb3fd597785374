#!/usr/bin/env node
/**
 * Assembles src/model/resample.wat (Pillow's resampling passes in WebAssembly SIMD) into
 * src/model/resampleWasmBytes.ts, the module's bytes as base64, so that neither the build nor
 * the run needs an assembler. Needs wabt's wat2wasm (Debian: apt-get install -y wabt); run it
 * after editing the .wat and commit both files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const source = join(ROOT, 'src', 'model', 'resample.wat');
const dir = mkdtempSync(join(tmpdir(), 'zeroshift-wasm-'));
try {
  const out = join(dir, 'resample.wasm');
  execFileSync('wat2wasm', [source, '-o', out], { stdio: 'inherit' });
  const base64 = readFileSync(out).toString('base64');
  const lines = base64.match(/.{1,96}/g).map((l) => `  '${l}'`).join(' +\n');
  writeFileSync(join(ROOT, 'src', 'model', 'resampleWasmBytes.ts'), `/**
 * src/model/resample.wat assembled by scripts/buildResampleWasm.mjs (wat2wasm ${execFileSync('wat2wasm', ['--version'], { encoding: 'utf8' }).trim()}); do not edit.
 */
export const RESAMPLE_WASM_BASE64 =
${lines};
`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
