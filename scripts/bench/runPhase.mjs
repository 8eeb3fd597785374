#!/usr/bin/env node
/** Child-process entry: runs one phase from phases.mjs and prints its result with peak RSS as JSON. */
import * as phases from './phases.mjs';

const [name, json] = process.argv.slice(2);
const phase = phases[name];
if (!phase) {
  console.error(`unknown phase ${name}`);
  process.exit(2);
}
const result = await phase(JSON.parse(json));
// maxRSS is in KiB; it covers the whole process, so each phase runs in its own child.
const peakRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ...result, peakRssMB })}\n`);
