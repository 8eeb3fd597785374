import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

/**
 * Launches headless Chromium from the `@sparticuz/chromium` npm package (a self-contained build,
 * unpacked into the temp dir on first use), so browser tests need no system Chromium:
 * `npm ci && npm test` passes on a machine with only Node.js and npm.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await sparticuz.executablePath(), args: sparticuz.args, headless: true });
}
