#!/usr/bin/env node
/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time by function and by file, as
 * shares of the sampled time, for docs/performance.md.
 *
 *   node --cpu-prof --cpu-prof-dir /tmp/prof dist/cli/main.js eval --n 20 --no-progress
 *   node scripts/bench/profileSummary.mjs /tmp/prof/*.cpuprofile [--top 15]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });
const top = Number(values.top);
for (const file of positionals) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // Each sample is one node; consecutive timeDeltas give its duration.
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byFile = new Map();
  for (const [id, us] of self) {
    const f = byId.get(id).callFrame;
    const where = f.url ? f.url.replace(/^.*\/(node_modules\/[^/]+|dist|src)\//, '$1/') : f.functionName ? '(native)' : '(vm)';
    const name = `${f.functionName || '(anonymous)'} ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byFile.set(where, (byFile.get(where) ?? 0) + us);
  }
  const show = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `| ${k} | ${(100 * us / total).toFixed(1)} % |`).join('\n');
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\n| function (self time) | share |\n|---|---|\n${show(byFunction)}\n\n| file (self time) | share |\n|---|---|\n${show(byFile)}\n`);
}
