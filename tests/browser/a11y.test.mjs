// Accessibility of every page type of the built demo portal (`tsunagu
// build` output served as a static host would), at a phone
// width (360 px) and a desktop width (1280 px): axe-core finds no
// violation of WCAG 2.0/2.1 A and AA, the page says lang="ja", and
// heading levels never skip (h1 → h3).
//
// axe-core is injected as a script tag; the portal's CSP (rightly) blocks
// inline scripts, so these contexts bypass CSP. Nothing else differs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { launch, repo, waitForResults } from './lib.mjs';
import { buildAndServe } from '../fixtures/quality/static-site.mjs';

const require = createRequire(import.meta.url);
let axePath;
try {
  axePath = require.resolve('axe-core/axe.min.js');
} catch {
  throw new Error('axe-core is missing: run `npm ci` in tests/browser');
}

const WIDTHS = [360, 1280];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let server;
let browser;
const contexts = {};

before(async () => {
  server = await buildAndServe();
  browser = await launch();
  for (const width of WIDTHS) {
    contexts[width] = await browser.newContext({
      bypassCSP: true,
      viewport: { width, height: 800 },
      locale: 'ja-JP',
      serviceWorkers: 'block',
    });
  }
});

after(async () => {
  for (const c of Object.values(contexts)) await c.close();
  await browser?.close();
  server?.stop();
});

/** Site paths (decoded) of the links in `main` of `path` that go one level deeper. */
async function childLinks(path) {
  const page = await contexts[1280].newPage();
  await page.goto(new URL(path, server.url).href);
  const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => new URL(a.href).pathname));
  await page.close();
  const depth = path.split('/').filter(Boolean).length;
  return [...new Set(hrefs.map((h) => decodeURIComponent(h)))].filter(
    (h) => h.startsWith(path) && h !== path && h.split('/').filter(Boolean).length === depth + 1,
  );
}

/** Every page type, discovered from the built portal itself. */
async function pageTypes() {
  const pages = [
    ['top', '/'],
    ['centers list', '/centers/'],
    ['organizations list', '/organizations/'],
    ['events list', '/events/'],
    ['cafeterias list', '/cafeterias/'],
    ['pages list', '/pages/'],
    ['categories', '/categories/'],
    ['areas', '/areas/'],
    ['audience', '/audience/'],
    ['methods', '/methods/'],
  ];
  for (const [label, list] of [
    ['center', '/centers/'],
    ['organization', '/organizations/'],
    ['event', '/events/'],
    ['cafeteria', '/cafeterias/'],
    ['page', '/pages/'],
  ]) {
    const [first] = await childLinks(list);
    assert.ok(first, `no entry linked from ${list}`);
    pages.push([`${label} entry`, first]);
  }
  for (const dim of ['categories', 'audience', 'methods']) {
    const [first] = await childLinks(`/${dim}/`);
    assert.ok(first, `no term linked from /${dim}/`);
    pages.push([`one ${dim} term`, first]);
  }
  // A parent area with wards, and one ward.
  let parent;
  let ward;
  for (const area of await childLinks('/areas/')) {
    const wards = await childLinks(area);
    if (wards.length) {
      parent = area;
      ward = wards[0];
      break;
    }
  }
  assert.ok(parent && ward, 'no area with wards in the demo portal');
  pages.push(['parent area', parent], ['ward', ward]);
  pages.push(['search with results', '/search/?q=' + encodeURIComponent('ひきこもり')]);
  pages.push(['404', '/no-such-page/']);
  return pages;
}

async function audit(path, width, spoil, base = server.url) {
  const page = await contexts[width].newPage();
  const response = await page.goto(new URL(path, base).href);
  if (path.startsWith('/search/')) {
    await waitForResults(page);
  }
  if (spoil) await page.evaluate(spoil);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      count: v.nodes.length,
    }));
  }, TAGS);
  const lang = await page.getAttribute('html', 'lang');
  const headings = await page.$$eval('h1, h2, h3, h4, h5, h6', (hs) => {
    const bad = [];
    let prev = 0;
    for (const h of hs) {
      const level = Number(h.tagName[1]);
      if (level > prev + 1) bad.push(`<${h.tagName.toLowerCase()}> "${h.textContent.trim().slice(0, 40)}" after h${prev}`);
      prev = level;
    }
    return bad;
  });
  await page.close();
  return { status: response.status(), violations: result, lang, headings };
}

function report(label, width, r) {
  return r.violations
    .map((v) => `  [${width}px] ${label}: ${v.id} (${v.impact}) — ${v.help}\n      ${v.count} node(s): ${v.targets.join(' | ')}`)
    .join('\n');
}

test('the audit catches a missing alt text and a skipped heading level', async () => {
  const r = await audit('/', 360, () => {
    const img = document.createElement('img');
    img.src = '/favicon.svg';
    document.querySelector('main').appendChild(img);
    const h = document.createElement('h4');
    h.textContent = 'skipped';
    document.querySelector('main h1').after(h);
  });
  assert.ok(r.violations.some((v) => v.id === 'image-alt'), `axe did not report image-alt: ${JSON.stringify(r.violations)}`);
  assert.ok(r.headings.some((h) => h.startsWith('<h4>')), `heading check missed h1 → h4: ${r.headings}`);
});

/** Page types with a known defect: label → reason. Kept empty when none. */
const KNOWN_DEFECTS = {};

// One subtest per page type, both widths in it: a failure names the page.
test('every page type passes axe (WCAG 2.1 A/AA), has lang="ja" and no skipped heading level', async (t) => {
  const types = await pageTypes();
  for (const [label, path] of types) {
    const skip = KNOWN_DEFECTS[label] ? `defect: ${KNOWN_DEFECTS[label]}` : false;
    await t.test(`${label} (${path})`, { skip }, async () => {
      const problems = [];
      for (const width of WIDTHS) {
        const r = await audit(path, width);
        if (label === '404') assert.equal(r.status, 404, '404 page status');
        else assert.equal(r.status, 200, `${path}: HTTP ${r.status}`);
        if (r.lang !== 'ja') problems.push(`  [${width}px] lang="${r.lang}"`);
        for (const h of r.headings) problems.push(`  [${width}px] heading skips a level: ${h}`);
        if (r.violations.length) problems.push(report(label, width, r));
      }
      if (problems.length) console.log(`${label} (${path}):\n${problems.join('\n')}`);
      assert.deepEqual(problems, [], `${label} (${path}):\n${problems.join('\n')}`);
    });
  }
});

// The demo's lists fit on one page; a fixture with two entries per page
// (tests/fixtures/portals/paginated) has the page links.
test('paginated list and browse pages pass axe with their page links', async (t) => {
  const paged = await buildAndServe(path.join(repo, 'tests/fixtures/portals/paginated'));
  try {
    for (const pagePath of ['/centers/page/2/', '/areas/' + encodeURIComponent('広島市') + '/page/2/']) {
      await t.test(pagePath, async () => {
        const problems = [];
        for (const width of WIDTHS) {
          const r = await audit(pagePath, width, () => {
            if (!document.querySelector('nav.pagination a[rel=prev]')) throw new Error('no page links on the page');
          }, paged.url);
          assert.equal(r.status, 200, `${pagePath}: HTTP ${r.status}`);
          for (const h of r.headings) problems.push(`  [${width}px] heading skips a level: ${h}`);
          if (r.violations.length) problems.push(report(pagePath, width, r));
        }
        assert.deepEqual(problems, [], problems.join('\n'));
      });
    }
  } finally {
    paged.stop();
  }
});
