// Regenerates the README's screenshot (docs/images/report-first-screen.png): the first screen of
// the demo report as a laptop shows it, 1280 × 800 CSS px in headless Chromium from npm
// (@sparticuz/chromium driven by playwright-core, as the browser tests), so it always shows
// what the current code writes. Run through `npm run readme-screenshot` (which runs the demo
// first), or: node scripts/readmeScreenshot.mjs [REPORT_HTML] [OUT_PNG]
import sparticuz from '@sparticuz/chromium';
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const report = resolve(process.argv[2] ?? 'results/demo/report.html');
const out = resolve(process.argv[3] ?? 'docs/images/report-first-screen.png');
if (!existsSync(report)) {
  console.error(`readmeScreenshot: ${report} does not exist; run \`npm run demo\` first (or pass the report's path)`);
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: await sparticuz.executablePath(), args: sparticuz.args, headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  await page.screenshot({ path: out });
  console.log(`readmeScreenshot: ${out} (1280 × 800) from ${report}`);
} finally {
  await browser.close();
}
