// The 「受付中」 badge over the New Year and on a 臨時休館 day (issue #13),
// in headless Chromium with the page's clock fixed: the closures fixture's
// center is open Monday to Friday 9:00–17:00 and closed 年末年始 and on
// 2027-01-15. Run: node --test tests/browser/closures.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, serve, repo, watchForeignRequests } from './lib.mjs';

let site;
let browser;

before(async () => {
  site = await serve(path.join(repo, 'tests/fixtures/portals/closures'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
});

const badgeAt = async (isoJst) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const foreign = watchForeignRequests(page, site.url);
  await page.clock.setFixedTime(new Date(isoJst));
  await page.goto(new URL('centers/madoguchi/', site.url).href);
  const badge = page.locator('p.open-now');
  await page.waitForFunction(() => document.querySelector('p.open-now')?.hasAttribute('data-open'));
  const result = { text: (await badge.textContent()).trim(), open: await badge.getAttribute('data-open') };
  assert.deepEqual(foreign, [], 'no third-party requests');
  await context.close();
  return result;
};

test('the badge at fixed clocks over the New Year and a 臨時休館 day', async () => {
  assert.deepEqual(await badgeAt('2026-12-28T17:00:00+09:00'), { text: '次の受付:1月4日(月)9:00から', open: 'false' });
  assert.deepEqual(await badgeAt('2026-12-29T10:00:00+09:00'), { text: '本日は休み(年末年始)。次の受付:1月4日(月)9:00から', open: 'false' });
  assert.deepEqual(await badgeAt('2027-01-03T10:00:00+09:00'), { text: '本日は休み(年末年始)。次の受付:1月4日(月)9:00から', open: 'false' });
  assert.deepEqual(await badgeAt('2027-01-04T09:00:00+09:00'), { text: '受付中(17:00まで)', open: 'true' });
  assert.deepEqual(await badgeAt('2027-01-15T10:00:00+09:00'), { text: '本日は休み(臨時休館)。次の受付:1月18日(月)9:00から', open: 'false' });
});

test('without JavaScript the page still says when it is closed', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(new URL('centers/madoguchi/', site.url).href);
  assert.equal((await page.locator('p.hours-closed').textContent()).trim(), '休み: 年末年始(12月29日〜1月3日)、2027年1月15日(臨時休館)');
  await context.close();
});
