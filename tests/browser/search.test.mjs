// The search page of the built demo portal, as a family would use it:
// type words, see results as you type, narrow by a filter, share the URL,
// and search again with the network gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, watchForeignRequests, tsunaguBinary, repo, waitForResults } from './lib.mjs';

let server;
let browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** The "today" of the builds and of the CLI (SOURCE_DATE_EPOCH). */
const TODAY = 1795219200;

/** Where screenshots go (kept by CI as artifacts). */
const ARTIFACTS = process.env.TSUNAGU_ARTIFACTS ?? path.join(os.tmpdir(), 'tsunagu-artifacts');

/**
 * A page whose clock says TODAY, so that the browser and the CLI agree on
 * which events are past.
 */
async function newPage(options = {}) {
  const context = await browser.newContext(options);
  await context.clock.setFixedTime(new Date(TODAY * 1000));
  const page = await context.newPage();
  page.on('close', () => context.close().catch(() => {}));
  return page;
}

let built = false;
/** `public/` built once with TODAY, for the CLI. */
function buildForCli() {
  if (built) return;
  execFileSync(tsunaguBinary(), ['build', '--root', repo], { env: { ...process.env, SOURCE_DATE_EPOCH: String(TODAY) }, stdio: 'ignore' });
  built = true;
}

/** What `tsunagu search --json` answers on the same built index. */
function cliSearch(args) {
  // `serve` builds into its own preview folder; the CLI reads `public/`,
  // so build it once with the same "today".
  buildForCli();
  const out = execFileSync(tsunaguBinary(), ['search', '--json', '--root', repo, ...args], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(TODAY) },
  });
  return JSON.parse(out.toString());
}

async function resultSlugs(page) {
  return page.$$eval('#ts-results li.ts-hit h2 a[href]', (links) =>
    links.map((a) => new URL(a.href).pathname.split('/').filter(Boolean).pop()),
  );
}


test('typing a query shows the same ranked results as the CLI, and the URL follows', async () => {
  const page = await newPage();
  const foreign = watchForeignRequests(page, server.url);
  await page.goto(`${server.url}search/`);
  await page.fill('input[name="q"]', 'ひきこもり 家族');
  await waitForResults(page, 3);
  const expected = cliSearch(['ひきこもり', '家族']).map((h) => h.slug);
  const shown = await resultSlugs(page);
  assert.deepEqual(shown.slice(0, 5), expected.slice(0, 5));
  const status = await page.textContent('#ts-status');
  assert.match(status, /\d+\s*件/);
  assert.match(decodeURIComponent(page.url()), /q=ひきこもり/);
  assert.deepEqual(foreign, [], 'no request may leave the site');
  await page.close();
});

test('half-width katakana finds what hiragana finds', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}search/?q=${encodeURIComponent('ﾋｷｺﾓﾘ')}`);
  await waitForResults(page);
  const viaKatakana = await resultSlugs(page);
  await page.goto(`${server.url}search/?q=${encodeURIComponent('ひきこもり')}`);
  await waitForResults(page);
  assert.deepEqual(await resultSlugs(page), viaKatakana);
  await page.close();
});

test('a filter narrows the results, shows counts, and is kept in the URL', async () => {
  const page = await newPage();
  await page.goto(`${server.url}search/?q=${encodeURIComponent('居場所')}`);
  await waitForResults(page);
  const all = await resultSlugs(page);
  // The filters are folded away until asked for.
  assert.equal(await page.isVisible('select[name="area"]'), false);
  await page.click('.ts-filters-toggle > summary');
  await page.selectOption('select[name="area"]', { value: '静岡市' });
  await page.waitForFunction(() => decodeURIComponent(location.search).includes('area=静岡市'), null, { timeout: 10_000 });
  await waitForResults(page);
  const narrowed = await resultSlugs(page);
  const expected = cliSearch(['--area', '静岡市', '居場所']).map((h) => h.slug);
  assert.ok(narrowed.length < all.length, `filter should narrow ${all.length} results, got ${narrowed.length}`);
  assert.deepEqual(narrowed, expected.slice(0, narrowed.length));
  // The option for the chosen area shows how many results it has.
  const optionText = await page.$eval('select[name="area"] option:checked', (o) => o.textContent);
  assert.match(optionText, /\(\d+\)|（\d+）|\d+件/);
  // Reloading the shared URL gives the same list, and the closed
  // disclosure says that a filter is on.
  await page.reload();
  await waitForResults(page);
  assert.deepEqual(await resultSlugs(page), narrowed);
  assert.equal(await page.$eval('.ts-filters-toggle', (d) => d.open), false);
  assert.match(await page.textContent('.ts-filters-toggle > summary'), /1件を指定中/);
  await page.close();
});

test('search still works with the network cut off after the first visit', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}search/?q=${encodeURIComponent('子ども食堂')}`);
  await waitForResults(page);
  const online = await resultSlugs(page);
  // The service worker has cached the shell, the module and both index tiers.
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker?.getRegistration();
    if (!reg?.active) return false;
    const keys = await caches.keys();
    for (const k of keys) {
      const c = await caches.open(k);
      const reqs = await c.keys();
      // The module and both index tiers (first results and body text).
      const cached = (suffix) => reqs.some((r) => r.url.endsWith(suffix));
      if (cached('.wasm') && cached('/index.bin') && cached('/index-body.bin')) return true;
    }
    return false;
  }, null, { timeout: 20_000 });
  await context.setOffline(true);
  await page.goto(`${server.url}search/?q=${encodeURIComponent('子ども食堂')}`);
  await waitForResults(page);
  assert.deepEqual(await resultSlugs(page), online);
  await page.fill('input[name="q"]', 'こども食堂');
  await waitForResults(page);
  assert.ok((await resultSlugs(page)).length > 0);
  await context.close();
});

test('without JavaScript the search page explains and links to the browse pages', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}search/?q=x`);
  const html = await page.content();
  assert.match(html, /<noscript>/);
  assert.match(html, /categories\//);
  await context.close();
});

test('a past event is found, labelled 終了 with its date, after everything still to come', async () => {
  const page = await newPage();
  await page.goto(`${server.url}search/?q=${encodeURIComponent('まち歩き')}`);
  await waitForResults(page);
  const hit = page.locator('#ts-results li.ts-hit', { has: page.locator('a[href$="/events/nabari-machiaruki-2026/"]') });
  assert.equal(await hit.count(), 1, 'the past event is not in the results');
  assert.equal((await hit.locator('.ts-hit-past').textContent()).trim(), '終了');
  assert.match(await hit.locator('.ts-hit-date').textContent(), /2026年10月17日/);
  // Past events come after every place and upcoming event.
  await page.fill('input[name="q"]', '名張');
  await page.waitForFunction(() => decodeURIComponent(location.search).includes('q=名張'));
  await waitForResults(page, 2);
  const pastFlags = await page.$$eval('#ts-results li.ts-hit', (items) => items.map((li) => li.classList.contains('ts-hit-is-past')));
  assert.ok(pastFlags.includes(true) && pastFlags.includes(false), `want both kinds: ${pastFlags}`);
  assert.deepEqual(pastFlags, [...pastFlags].sort(), 'a past event is ranked above something still to come');
  assert.deepEqual(await resultSlugs(page), cliSearch(['名張']).map((h) => h.slug).slice(0, pastFlags.length));
});

test('a place is found by a word that appears only in its access directions', async () => {
  const page = await newPage();
  await page.goto(`${server.url}search/?q=${encodeURIComponent('天神川')}`);
  await waitForResults(page);
  const shown = await resultSlugs(page);
  assert.ok(shown.includes('fuchu-minna-no-shokutaku'), shown.join());
  assert.deepEqual(shown, cliSearch(['天神川']).map((h) => h.slug));
});

test('a name written with ～ is found typed with 〜, with ー, or without it', async () => {
  const page = await newPage();
  for (const typed of ['かたら～な', 'かたら〜な', 'かたらーな', 'かたらな', 'カタラナ']) {
    await page.goto(`${server.url}search/?q=${encodeURIComponent(typed)}`);
    await waitForResults(page);
    const shown = await resultSlugs(page);
    assert.equal(shown[0], 'setagaya-katarana-2027', `${typed}: ${shown.join()}`);
  }
});

test('place names find the entries there, in short forms and with other words, as the CLI does', async () => {
  const page = await newPage();
  const cases = [
    ['東京', (hit) => hit.area?.startsWith('東京都')],
    ['東京都', (hit) => hit.area?.startsWith('東京都')],
    ['安芸区', null],
    ['名張市 食堂', (hit) => hit.kind === 'page' || hit.area === '名張市'],
    ['家族会 広島', null],
  ];
  for (const [query, inPlace] of cases) {
    const expected = cliSearch(query.split(' '));
    assert.ok(expected.length > 0, `${query}: the CLI finds nothing`);
    if (inPlace) assert.ok(expected.every(inPlace), `${query}: ${expected.map((h) => `${h.slug} ${h.area}`).join(', ')}`);
    await page.goto(`${server.url}search/?q=${encodeURIComponent(query)}`);
    await waitForResults(page);
    assert.deepEqual(await resultSlugs(page), expected.map((h) => h.slug).slice(0, 20), query);
  }
  // The family group in 広島市安芸区 is found by its ward and with 広島.
  assert.ok(cliSearch(['安芸区']).some((h) => h.slug === 'aki-hidamari-kazokukai'));
  assert.ok(cliSearch(['家族会', '広島']).some((h) => h.slug === 'aki-hidamari-kazokukai'));
  // 名張市 食堂 finds the 食堂・居場所 entries there, not only the about page.
  assert.ok(cliSearch(['名張市', '食堂']).some((h) => h.kind === 'cafeteria'));
});

for (const [width, height] of [[360, 740], [1280, 900]]) {
  test(`at ${width}×${height} the first result is on the first screen, and the list never re-sorts once shown`, async () => {
    const page = await newPage({ viewport: { width, height } });
    await page.goto(`${server.url}search/`);
    await page.waitForSelector('[data-tsunagu-search][data-engine="ready"]', { timeout: 20_000 });
    // Record every change of the list itself (items added, removed or
    // reordered) from the first result on.
    await page.evaluate(() => {
      const list = document.getElementById('ts-results');
      window.__changes = [];
      new MutationObserver(() => {
        window.__changes.push(Array.from(list.children).map((li) => li.querySelector('a')?.getAttribute('href')).join(' '));
      }).observe(list, { childList: true });
    });
    await page.focus('input[name="q"]');
    await page.keyboard.type('ひきこもり');
    await waitForResults(page, 3);
    const first = await page.$eval('#ts-results li.ts-hit', (li) => li.getBoundingClientRect().toJSON());
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `search-${width}x${height}.png`) });
    assert.ok(first.top >= 0 && first.top + 40 <= height, `the first hit starts at y=${first.top} of ${height}`);
    const shown = await resultSlugs(page);
    const status = await page.textContent('#ts-status');
    await page.waitForTimeout(1500);
    assert.deepEqual(await resultSlugs(page), shown, 'the list changed after it was shown');
    assert.equal(await page.textContent('#ts-status'), status, 'the count changed after it was shown');
    // One final list per search: the typed query's (its earlier prefixes
    // may have shown first), then no change.
    const changes = await page.evaluate(() => window.__changes);
    const final = changes.at(-1);
    assert.ok(final, 'no list was rendered');
    assert.equal(changes.lastIndexOf(final), changes.length - 1);
  });
}

for (const [width, height] of [[360, 740], [412, 823]]) {
  test(`at ${width}×${height} a search from the top page lands without moving anything on the screen`, async () => {
    // The top page's box submits to search/?q=…: the results arrive while
    // the family is already reading the page, so nothing already shown may
    // jump (the ways to browse, the footer, a hit when its hours fill in).
    const page = await newPage({ viewport: { width, height } });
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (!e.hadRecentInput) window.__shifts.push({ value: e.value, what: (e.sources || []).map((s) => s.node?.className || s.node?.nodeName).join(' ') });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${server.url}search/?q=${encodeURIComponent('相談')}`);
    await waitForResults(page, 3);
    await page.waitForFunction(() => document.querySelector('#ts-results [data-hours][data-open]'), null, { timeout: 10_000 });
    await page.waitForTimeout(500);
    const shifts = await page.evaluate(() => window.__shifts);
    const total = shifts.reduce((sum, s) => sum + s.value, 0);
    assert.ok(total < 0.01, `layout shift ${total.toFixed(3)}: ${JSON.stringify(shifts)}`);
  });
}

test('a hit shows its phone to tap, whether it is open now, and its area as the site writes it', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(`${server.url}search/?q=${encodeURIComponent('安芸ひだまり家族会')}`);
  await waitForResults(page);
  const hit = page.locator('#ts-results li.ts-hit').first();
  assert.equal(await hit.locator('.ts-hit-area').textContent(), '広島市 安芸区');
  // Some hit of a wider query has a phone and opening hours.
  await page.goto(`${server.url}search/?q=${encodeURIComponent('相談')}`);
  await waitForResults(page);
  const phone = page.locator('#ts-results a.ts-hit-phone').first();
  assert.match(await phone.getAttribute('href'), /^tel:[+\d]/);
  assert.match(await phone.textContent(), /\d{2,4}-\d{2,4}-\d{3,4}/);
  const box = await phone.boundingBox();
  assert.ok(box && box.height >= 44, `phone link is ${box?.height}px tall`);
  // opening.js fills the hours as on the entry page.
  await page.waitForFunction(() => document.querySelector('#ts-results [data-hours][data-open]'), null, { timeout: 10_000 });
  const open = await page.textContent('#ts-results [data-hours][data-open]');
  assert.match(open, /受付中|次の受付|受付時間外|休止中/);
});

test('while the engine loads, the status says so', async () => {
  const page = await newPage();
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route('**/tsunagu_search.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${server.url}search/`);
  await page.fill('input[name="q"]', 'ひきこもり');
  await page.waitForFunction(() => /準備/.test(document.getElementById('ts-status').textContent), null, { timeout: 5_000 });
  release();
  await waitForResults(page);
  assert.match(await page.textContent('#ts-status'), /\d+\s*件/);
});
