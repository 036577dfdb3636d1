// Takes screenshots of the demo portal at phone and desktop width in
// headless Chromium, for people to look at: top page, a list page, an
// entry page, the search page with results.
//
//   cargo build --release && node scripts/screenshots.mjs [OUT_DIR]
//
// Needs tests/browser's node_modules (playwright-core): `cd tests/browser && npm ci`.
import path from 'node:path';
import fs from 'node:fs';
import { serve, launch, repo } from '../tests/browser/lib.mjs';

const outDir = path.resolve(process.argv[2] ?? path.join(repo, 'target', 'screenshots'));
fs.mkdirSync(outDir, { recursive: true });

const pages = [
  ['top', ''],
  ['list-centers', 'centers/'],
  ['entry-center', 'centers/shizuoka-kokoro-kenko-center/'],
  ['entry-event', 'events/hiroshima-hikikomori-forum-2027/'],
  ['entry-cafeteria', 'cafeterias/kaita-horikawa-kodomo-shokudo/'],
  ['list-events', 'events/'],
  ['area', 'areas/'],
  ['search', `search/?q=${encodeURIComponent('ひきこもり 家族')}`],
];
const widths = [
  ['phone', { width: 360, height: 780 }],
  ['desktop', { width: 1280, height: 900 }],
];

const server = await serve();
const browser = await launch();
try {
  for (const [wname, viewport] of widths) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const [name, url] of pages) {
      await page.goto(server.url + url, { waitUntil: 'networkidle' });
      if (name === 'search') {
        await page.waitForSelector('#ts-results li', { timeout: 15000 }).catch(() => {});
      }
      const file = path.join(outDir, `${name}-${wname}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}
