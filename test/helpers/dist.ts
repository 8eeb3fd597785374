import { join, resolve } from 'node:path';

/** Root of the repository checkout under test. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** The compiled CLI, built once for the whole run by test/globalSetup.ts. */
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
