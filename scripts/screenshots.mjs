// Takes screenshots of the demo portal at phone and desktop width in
// headless Chromium, for people to look at: top page, a list page, an
// entry page, the search page with results; then an entry page and an
// area's 「印刷用一覧」 in print mode (a PNG of the print layout and the
// PDF Chromium prints, whose page count is printed: an entry must be one
// A4 page), and entry pages in large-text mode at 360 px.
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

  // Print mode: the PNG shows the print layout at A4 width (210 mm at 96 dpi
  // = 794 px); the PDF is what a printer gets, one A4 page per entry.
  const printPages = [
    ['print-entry-center', 'centers/shizuoka-kokoro-kenko-center/'],
    ['print-entry-event', 'events/hiroshima-hikikomori-forum-2027/'],
    ['print-entry-long', 'centers/setagaya-link/'],
    ['print-area-list', `areas/${encodeURIComponent('広島市')}/print/`],
  ];
  const printContext = await browser.newContext({ viewport: { width: 794, height: 1123 }, deviceScaleFactor: 1 });
  const printPage = await printContext.newPage();
  for (const [name, url] of printPages) {
    await printPage.goto(server.url + url, { waitUntil: 'networkidle' });
    await printPage.emulateMedia({ media: 'print' });
    const png = path.join(outDir, `${name}.png`);
    await printPage.screenshot({ path: png, fullPage: true });
    const pdfFile = path.join(outDir, `${name}.pdf`);
    const pdf = await printPage.pdf({ path: pdfFile, format: 'A4', preferCSSPageSize: true });
    const count = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
    const warn = name.startsWith('print-entry') && count !== 1 ? ' (an entry must print on ONE page)' : '';
    console.log(`${png}\n${pdfFile}: ${count} A4 page(s)${warn}`);
  }
  await printContext.close();

  // Large-text mode at 360 px, switched on with the header button as a
  // family would (it is remembered for the next pages).
  const largeContext = await browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 1 });
  const largePage = await largeContext.newPage();
  await largePage.goto(server.url + 'centers/shizuoka-kokoro-kenko-center/', { waitUntil: 'networkidle' });
  await largePage.click('button[data-text-size]');
  for (const [name, url] of [
    ['large-entry-center', 'centers/shizuoka-kokoro-kenko-center/'],
    ['large-entry-event', 'events/hiroshima-hikikomori-forum-2027/'],
    ['large-top', ''],
  ]) {
    await largePage.goto(server.url + url, { waitUntil: 'networkidle' });
    const file = path.join(outDir, `${name}-phone.png`);
    await largePage.screenshot({ path: file, fullPage: true });
    const overflow = await largePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    console.log(`${file}${overflow > 0 ? ` (WIDER than the screen by ${overflow}px)` : ''}`);
  }
  await largeContext.close();
} finally {
  await browser.close();
  server.stop();
}
