// The search page with the keyboard only, as someone who cannot use a
// mouse (or a screen-reader user) would: the first Tab stop is the skip
// link, which moves focus to the main content; Tab then reaches the
// search box, the filters and the results, in that order; every stop
// shows where focus is; after typing a query, Tab reaches the first
// result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitForResults } from './lib.mjs';
import { buildAndServe } from '../fixtures/quality/static-site.mjs';

let site;
let browser;
let context;

before(async () => {
  site = await buildAndServe();
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
});

after(async () => {
  await context?.close();
  await browser?.close();
  site?.stop();
});

const QUERY = 'ひきこもり';


/** A description of the focused element, and its focus-relevant style. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      key: el.__qkey ?? null,
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name'),
      cls: el.className,
      href: el.getAttribute('href'),
      text: (el.textContent || el.value || '').trim().slice(0, 30),
      inResults: !!el.closest('#ts-results'),
      inFilters: !!el.closest('.ts-filters, .ts-filters-toggle'),
      style: { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow, border: s.borderColor + ' ' + s.borderWidth, bg: s.backgroundColor, deco: s.textDecorationLine },
      visible: r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 && r.top < innerHeight + 2000,
    };
  });
}

/** Gives every focusable element a key and records its unfocused style. */
function recordUnfocused(page) {
  return page.evaluate(() => {
    const sel = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
    const out = {};
    document.querySelectorAll(sel).forEach((el, i) => {
      el.__qkey = i;
      const s = getComputedStyle(el);
      out[i] = { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow, border: s.borderColor + ' ' + s.borderWidth, bg: s.backgroundColor, deco: s.textDecorationLine };
    });
    return out;
  });
}

/** A visible indicator: an outline, or a change of shadow, border, background or underline. */
function hasIndicator(f, before) {
  const o = f.style.outline;
  const outline = !o.startsWith('none') && !/ 0px /.test(o);
  const changed = before && ['shadow', 'border', 'bg', 'deco'].some((k) => before[k] !== f.style[k]);
  return outline || changed;
}

test('Tab from the top: skip link first, and it moves focus to main', async () => {
  const page = await context.newPage();
  await page.goto(new URL('search/', site.url).href);
  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.ok(first, 'Tab focused nothing');
  assert.match(first.cls, /skip-link/, `first Tab stop is ${JSON.stringify(first)}`);
  assert.equal(first.href, '#main');
  assert.ok(first.visible, 'the skip link is not visible when focused');
  assert.ok(hasIndicator(first, null), `no focus indicator on the skip link: ${JSON.stringify(first.style)}`);
  await page.keyboard.press('Enter');
  const after = await page.evaluate(() => document.activeElement?.id);
  assert.equal(after, 'main', 'the skip link did not move focus to <main id="main">');
  // The next Tab continues inside main, not back at the header.
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => !!document.activeElement?.closest('main'));
  assert.ok(next, 'after the skip link, Tab left <main>');
  await page.close();
});

test('Tab order: search box, then the filters, then the results; every stop shows focus', async () => {
  const page = await context.newPage();
  await page.goto(new URL('search/?q=' + encodeURIComponent(QUERY), site.url).href);
  await waitForResults(page);
  const unfocused = await recordUnfocused(page);
  const stops = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) break;
    stops.push(f);
    if (f.inResults) break;
  }
  const at = (pred) => stops.findIndex(pred);
  const input = at((f) => f.name === 'q');
  const filter = at((f) => f.inFilters);
  const result = at((f) => f.inResults);
  assert.ok(input >= 0, `the search box is not in the tab order: ${stops.map((s) => s.tag + (s.name ? `[${s.name}]` : '')).join(' → ')}`);
  assert.ok(filter > input, `the filters do not follow the search box (box ${input}, filters ${filter})`);
  assert.ok(result > filter, `the results do not follow the filters (filters ${filter}, results ${result})`);
  const missing = stops.filter((f) => !f.visible || !hasIndicator(f, unfocused[f.key]));
  assert.deepEqual(
    missing.map((f) => `${f.tag}${f.id ? '#' + f.id : ''}${f.name ? `[name=${f.name}]` : ''} "${f.text}" ${JSON.stringify(f.style)}`),
    [],
    'Tab stops without a visible focus indicator',
  );
  await page.close();
});

test('typing a query, then Tab, reaches the first result', async () => {
  const page = await context.newPage();
  await page.goto(new URL('search/', site.url).href);
  await page.focus('input[name="q"]');
  await page.keyboard.type(QUERY);
  await waitForResults(page);
  const first = await page.$eval('#ts-results li.ts-hit a', (a) => a.getAttribute('href'));
  let reached = null;
  const path = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    path.push(f ? `${f.tag}${f.name ? `[${f.name}]` : ''}` : 'body');
    if (f?.inResults) {
      reached = f;
      break;
    }
  }
  assert.ok(reached, `Tab never reached a result: ${path.join(' → ')}`);
  assert.equal(reached.href, first, 'the first result reached is not the first result');
  // Enter opens it.
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith(first.replace(/^.*?([^/]+\/)$/, '$1'))), page.keyboard.press('Enter')]);
  await page.close();
});
