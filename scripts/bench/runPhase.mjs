#!/usr/bin/env node
/** Child-process entry: runs one phase from phases.mjs and prints its result with peak RSS as JSON. */
import { loadavg } from 'node:os';
import * as phases from './phases.mjs';

const [name, json] = process.argv.slice(2);
const phase = phases[name];
if (!phase) {
  console.error(`unknown phase ${name}`);
  process.exit(2);
}
const loadBefore = loadavg()[0];
const result = await phase(JSON.parse(json));
// maxRSS is in KiB; it covers the whole process, so each phase runs in its own child.
const peakRssMB = process.resourceUsage().maxRSS / 1024;
// CPU seconds of the whole process (all its threads): on a shared machine this moves far less
// with the load than wall time does, so it is recorded beside every rate.
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ ...result, peakRssMB, cpuSeconds, loadAverage: [loadBefore, loadavg()[0]] })}\n`);
