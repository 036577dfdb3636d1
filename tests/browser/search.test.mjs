// The search page of the built demo portal, as a family would use it:
// type words, see results as you type, narrow by a filter, share the URL,
// and search again with the network gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

/** What `tsunagu search --json` answers on the same built index. */
function cliSearch(args) {
  // `serve` builds into its own preview folder; the CLI reads `public/`,
  // so build it once with the same "today".
  const out = execFileSync(tsunaguBinary(), ['search', '--json', '--root', repo, ...args], {
    env: { ...process.env, SOURCE_DATE_EPOCH: '1795219200' },
  });
  return JSON.parse(out.toString());
}

async function resultSlugs(page) {
  return page.$$eval('#ts-results li a[href]', (links) =>
    links.map((a) => new URL(a.href).pathname.split('/').filter(Boolean).pop()),
  );
}


test('typing a query shows the same ranked results as the CLI, and the URL follows', async () => {
  execFileSync(tsunaguBinary(), ['build', '--root', repo], { env: { ...process.env, SOURCE_DATE_EPOCH: '1795219200' }, stdio: 'ignore' });
  const page = await browser.newPage();
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
  const page = await browser.newPage();
  await page.goto(`${server.url}search/?q=${encodeURIComponent('居場所')}`);
  await waitForResults(page);
  const all = await resultSlugs(page);
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
  // Reloading the shared URL gives the same list.
  await page.reload();
  await waitForResults(page);
  assert.deepEqual(await resultSlugs(page), narrowed);
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
