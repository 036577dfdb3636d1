// The browser files (search.html, search.js, sw.js, the wasm module) in a
// real Chromium: a demo site written by the Rust example
// `write-demo-site` is served under a sub-path by a small static server.
//
//   cd search-index/wasm && npm ci && node --test test/
//
// Uses the system Chromium (/usr/bin/chromium, or $CHROMIUM) through
// playwright-core; skipped with a note when there is none.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const BASE = '/sub/path/';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const skip = existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath}`;

let site;
let server;
let origin;
let browser;
/** Server behaviour switches, changed by tests. */
const mode = { wasmType: 'application/wasm', indexMissing: false, bodyMissing: false, bodyDelay: 0 };

function buildSite() {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-demo-'));
  execFileSync(
    'cargo',
    ['run', '--quiet', '-p', 'tsunagu-search', '--example', 'write-demo-site', '--', dir, BASE],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return dir;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.bin': 'application/octet-stream',
};

function startServer(root) {
  const sockets = new Set();
  const srv = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (!url.pathname.startsWith(BASE)) {
      res.writeHead(404).end('not found');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(BASE.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(root, rel));
    if (
      !file.startsWith(root + sep) ||
      (mode.indexMissing && rel === 'search-index/index.bin') ||
      (mode.bodyMissing && rel === 'search-index/index-body.bin')
    ) {
      res.writeHead(404).end('not found');
      return;
    }
    if (mode.bodyDelay && rel === 'search-index/index-body.bin') {
      await new Promise((done) => setTimeout(done, mode.bodyDelay));
    }
    try {
      const body = await readFile(file);
      const ext = file.slice(file.lastIndexOf('.'));
      const type = ext === '.wasm' ? mode.wasmType : TYPES[ext] || 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  srv.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${srv.address().port}`,
        stop: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            srv.close(() => done());
          }),
      });
    });
  });
}

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  site = process.env.TSUNAGU_DEMO_SITE || buildSite();
  server = await startServer(site);
  origin = server.url;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openSearch(context, query = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}${BASE}search/${query}`);
  return { page, errors };
}

async function waitForHits(page, atLeast = 1) {
  await page.waitForFunction(
    (n) => document.querySelectorAll('#ts-results li.ts-hit').length >= n,
    atLeast,
    { timeout: 15000 },
  );
}

const hitSlugs = (page) =>
  page.$$eval('#ts-results li.ts-hit h2 a', (links) =>
    links.map((a) => a.getAttribute('href').split('/').filter(Boolean).pop()),
  );

test('a shared URL shows its results, with links under the base path', { skip }, async () => {
  const context = await browser.newContext();
  const { page, errors } = await openSearch(context, '?q=相談&kind=center');
  await waitForHits(page, 2);
  assert.deepEqual(await hitSlugs(page), ['hiroshima-hikikomori-center', 'kenko-fukushi-center']);
  const first = page.locator('#ts-results li.ts-hit').first();
  assert.equal(
    await first.locator('h2 a').getAttribute('href'),
    `${BASE}centers/hiroshima-hikikomori-center/`,
  );
  assert.equal(await first.locator('.ts-hit-kind').textContent(), '相談窓口');
  // The area as the site writes it.
  assert.equal(await first.locator('.ts-hit-area').textContent(), '広島市 中区');
  assert.equal(await first.locator('.ts-hit-summary mark').first().textContent(), '相談');
  assert.equal(await page.inputValue('#ts-q'), '相談');
  assert.equal(await page.inputValue('#ts-kind'), 'center');
  assert.match(await page.textContent('#ts-status'), /2 件見つかりました/);
  // Disjunctive counts: the other kinds still show what they would give.
  assert.match(await page.textContent('#ts-kind option[value="event"]'), /イベント（[1-9]\d*）/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('results follow typing from the second character, and the URL follows', { skip }, async () => {
  const context = await browser.newContext();
  const { page, errors } = await openSearch(context);
  assert.equal(await page.locator('#ts-results li').count(), 0);
  await page.fill('#ts-q', 'ひきこもり');
  await waitForHits(page, 3);
  assert.match(decodeURIComponent(page.url()), /\?q=ひきこもり$/);
  // Results come from both tiers at once: the page about the site
  // mentions ひきこもり in its body only.
  await page.waitForSelector('[data-engine="ready"]');
  const before = await hitSlugs(page);
  assert.ok(before.includes('about'), before.join());
  // One character: no search while typing…
  await page.fill('#ts-q', '呉');
  await page.waitForTimeout(400);
  assert.deepEqual(await hitSlugs(page), before);
  // …but Enter searches.
  await page.press('#ts-q', 'Enter');
  await page.waitForFunction(() => /呉/.test(document.querySelector('#ts-results').textContent));
  assert.ok((await hitSlugs(page)).includes('kenko-fukushi-center'));
  // Half-width katakana finds the hiragana/katakana text.
  await page.fill('#ts-q', 'ｶﾌｪ');
  await page.waitForFunction(() => /ｺﾓﾚﾋﾞ/.test(document.querySelector('#ts-results').textContent));
  assert.deepEqual(errors, []);
  await context.close();
});

test('filters narrow the results and go into the URL', { skip }, async () => {
  const context = await browser.newContext();
  const { page } = await openSearch(context);
  await page.click('.ts-filters-toggle > summary');
  await page.selectOption('#ts-area', '広島市');
  await waitForHits(page, 3);
  assert.match(decodeURIComponent(page.url()), /area=広島市/);
  const areas = await page.$$eval('#ts-results .ts-hit-area', (els) => els.map((e) => e.textContent));
  assert.ok(areas.length > 0 && areas.every((a) => a.startsWith('広島市')), areas.join());
  await page.check('input[name="free"]');
  await page.waitForFunction(() => /free=1/.test(location.search));
  await page.waitForFunction(() => !!document.querySelector('input[name="free"]').parentNode.querySelector('.ts-count'));
  await context.close();
});

test('the partial-match notice appears when not every word matches', { skip }, async () => {
  const context = await browser.newContext();
  const { page } = await openSearch(context, '?q=食堂+宇宙船');
  await waitForHits(page, 1);
  assert.equal(await page.isVisible('#ts-notice'), true);
  assert.equal(
    await page.textContent('#ts-notice'),
    '完全に一致する結果がありません。一部の言葉に一致した結果を表示しています',
  );
  await context.close();
});

test('results wait for both tiers, and once shown never change', { skip }, async () => {
  mode.bodyDelay = 600;
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    // 居場所 is in wakamono-ibasho's name and only in kenko-fukushi-center's body.
    await page.goto(`${origin}${BASE}search/?q=居場所`);
    // While the body tier is on its way, the status says the engine loads.
    await page.waitForFunction(() => /準備/.test(document.querySelector('#ts-status').textContent));
    assert.equal(await page.locator('#ts-results li.ts-hit').count(), 0);
    await waitForHits(page, 1);
    const first = await hitSlugs(page);
    assert.ok(first.includes('wakamono-ibasho'), first.join());
    assert.ok(first.includes('kenko-fukushi-center'), first.join());
    const status = await page.textContent('#ts-status');
    await page.waitForTimeout(1200);
    assert.deepEqual(await hitSlugs(page), first);
    assert.equal(await page.textContent('#ts-status'), status);
    assert.equal(requests.filter((p) => p.endsWith('index-body.bin')).length, 1);
    await context.close();
  } finally {
    mode.bodyDelay = 0;
  }
});

test('loading starts with the page, before anything is typed', { skip }, async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${origin}${BASE}search/`);
  await page.waitForSelector('[data-engine="ready"]');
  for (const file of ['tsunagu_search.wasm', 'index.bin', 'index-body.bin']) {
    assert.ok(requests.some((p) => p.endsWith('/' + file)), `${file} not fetched on load`);
  }
  await context.close();
});

test('without the body tier, search says it could not get ready', { skip }, async () => {
  mode.bodyMissing = true;
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const { page } = await openSearch(context, '?q=保健師');
    await page.waitForFunction(() => document.querySelectorAll('#ts-results li.ts-fallback').length === 3);
    assert.match(await page.textContent('#ts-status'), /検索の準備ができませんでした/);
    await context.close();
  } finally {
    mode.bodyMissing = false;
  }
});

test('a wrong Content-Type for the module does not break search', { skip }, async () => {
  mode.wasmType = 'text/plain';
  try {
    const context = await browser.newContext();
    const { page, errors } = await openSearch(context, '?q=そうだん');
    await waitForHits(page, 1);
    assert.ok((await hitSlugs(page)).includes('hiroshima-hikikomori-center'));
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    mode.wasmType = 'application/wasm';
  }
});

test('a failed download shows a calm message with the browse pages', { skip }, async () => {
  mode.indexMissing = true;
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const { page } = await openSearch(context, '?q=相談');
    await page.waitForFunction(() => document.querySelectorAll('#ts-results li.ts-fallback').length === 3);
    assert.match(await page.textContent('#ts-status'), /検索の準備ができませんでした/);
    const links = await page.$$eval('#ts-results a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [`${BASE}centers/`, `${BASE}categories/`, `${BASE}areas/`]);
    await context.close();
  } finally {
    mode.indexMissing = false;
  }
});

// Last: it stops the server.
test('after one visit, search works offline', { skip }, async () => {
  const context = await browser.newContext();
  const { page } = await openSearch(context, '?q=相談');
  await waitForHits(page, 1);
  // Ask the worker for the same copies search.js asks for, and wait for
  // its reply: every write for these URLs has then finished.
  await page.evaluate(
    (base) =>
      navigator.serviceWorker.ready.then(
        (registration) =>
          new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = resolve;
            registration.active.postMessage(
              {
                type: 'tsunagu-cache',
                urls: [
                  location.pathname,
                  base + 'search/tsunagu_search.wasm',
                  base + 'search-index/index.bin',
                  base + 'search-index/index-body.bin',
                  base + 'style.css',
                ],
              },
              [channel.port2],
            );
          }),
      ),
    BASE,
  );
  const cached = () =>
    page.evaluate(async () => {
      const out = [];
      for (const name of await caches.keys()) {
        const keys = await (await caches.open(name)).keys();
        out.push(...keys.map((r) => new URL(r.url).pathname));
      }
      return out.sort();
    });
  assert.deepEqual(
    (await cached()).filter((p) => !p.endsWith('search.js')),
    [
      `${BASE}search-index/index-body.bin`,
      `${BASE}search-index/index.bin`,
      `${BASE}search/`,
      `${BASE}search/tsunagu_search.wasm`,
      `${BASE}style.css`,
    ],
  );

  await server.stop();
  server = null;
  const log = [];
  page.on('console', (m) => log.push(m.text()));
  page.on('requestfailed', (r) => log.push(`failed ${r.url()}`));
  await page.goto(`${origin}${BASE}search/?q=居場所`);
  // Three: two in names and categories, one only in a body (index-body.bin).
  await waitForHits(page, 3).catch(async (error) => {
    const status = await page.textContent('#ts-status').catch(() => '(no page)');
    const state = await cached().catch((e) => String(e));
    throw new Error(`offline search failed: ${status} | cached ${state} | ${log.join(' | ')}`, { cause: error });
  });
  await page.waitForFunction(() => /kenko-fukushi-center/.test(document.querySelector('#ts-results').innerHTML));
  assert.ok((await hitSlugs(page)).includes('wakamono-ibasho'));
  // A page never visited gets the offline notice, not a browser error.
  const response = await page.goto(`${origin}${BASE}centers/never-visited/`);
  assert.equal(response.status(), 503);
  assert.match(await page.textContent('h1'), /オフライン/);
  await context.close();
});
