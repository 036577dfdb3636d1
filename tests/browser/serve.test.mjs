// `tsunagu serve` in a real browser: saving an entry reloads the tab that
// shows it (and only tabs whose page changed), a broken save shows the
// banner over the last good page, fixing it takes the banner away; the
// live-reload script runs under the pages' Content-Security-Policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, repo, serve } from './lib.mjs';

let tmp;
let site;
let browser;
let context;
const errors = [];

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagu-serve-browser-'));
  fs.cpSync(path.join(repo, 'tests/fixtures/portals/small'), path.join(tmp, 'portal'), { recursive: true });
  site = await serve(path.join(tmp, 'portal'));
  browser = await launch();
  context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations = (window.__violations || []).concat(e.effectiveDirective || e.violatedDirective);
    });
  });
});

after(async () => {
  await context?.close();
  await browser?.close();
  site?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function open(p) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  const response = await page.goto(new URL(p, site.url).href);
  assert.equal(response.status(), 200, p);
  // Let the script connect to the event stream.
  await page.waitForTimeout(500);
  return page;
}

const entry = () => path.join(tmp, 'portal/content/cafeterias/minna-shokudo.yaml');

test('save, reload, break, banner, fix', async () => {
  const original = fs.readFileSync(entry(), 'utf8');
  const edited = await open('/cafeterias/minna-shokudo/');
  const unrelated = await open('/pages/about/');
  await unrelated.evaluate(() => { window.__stillHere = true; });

  fs.writeFileSync(entry(), original.replace('みんな食堂', 'みんな食堂・改'));
  await edited.waitForFunction(() => document.querySelector('h1')?.textContent.includes('みんな食堂・改'), null, { timeout: 20_000 });
  // The list that shows the entry is rewritten too; the tab on an
  // unrelated page was not reloaded.
  const list = await (await fetch(new URL('/cafeterias/', site.url))).text();
  assert.match(list, /みんな食堂・改/);
  assert.equal(await unrelated.evaluate(() => window.__stillHere), true, 'the unrelated tab did not reload');

  fs.writeFileSync(entry(), original.replace('みんな食堂', 'みんな食堂・改').replace('verified: 2026-10-01', 'verified: 2026-13-01'));
  const banner = await edited.waitForSelector('#tsunagu-build-error', { timeout: 20_000 });
  const text = await banner.textContent();
  assert.match(text, /minna-shokudo\.yaml/);
  assert.match(text, /2026-13-01/);
  assert.match(await edited.textContent('h1'), /みんな食堂・改/, 'the last good page stays under the banner');

  fs.writeFileSync(entry(), original);
  await edited.waitForSelector('#tsunagu-build-error', { state: 'detached', timeout: 20_000 });
  await edited.waitForFunction(() => !document.querySelector('h1')?.textContent.includes('・改'), null, { timeout: 20_000 });

  for (const page of [edited, unrelated]) {
    assert.deepEqual(await page.evaluate(() => window.__violations || []), [], 'no CSP violation');
  }
  assert.deepEqual(errors, []);
});
