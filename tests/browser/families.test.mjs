// Families' features of the built demo portal, in headless Chromium:
// - large-text mode: the toggle (aria-pressed) is remembered on the device
//   and applied again on the next page and after a reload;
// - 「リンクをコピー」 puts the page's address on the clipboard and
//   announces it in the live region;
// - entry pages print on one A4 page at 100% and 110% (a PDF of the page
//   in print mode, pages counted), with the phone numbers and hours large;
//   the longest entries of a generated 1,000-entry portal print on one
//   sheet or keep name, phone, hours, address and access on the first
//   (its text read back with poppler's pdftotext);
// - the schema.org JSON-LD of every entry page uses only types and
//   properties of the published schema.org vocabulary, with values in each
//   property's range (checked against `schema-dts`, Google's machine-readable
//   rendering of schema.org; the Rust test tests/jsonld.rs checks required
//   properties and values against its own table, which is checked here too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { launch, watchForeignRequests, repo, generatedPortal } from './lib.mjs';
import { buildAndServe } from '../fixtures/quality/static-site.mjs';

let site;
let browser;

before(async () => {
  site = await buildAndServe();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
});

const ENTRY = 'centers/hiroshima-hikikomori-center-chubu/';

test('large-text mode is a toggle button, remembered across pages and reloads', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const foreign = watchForeignRequests(page, site.url);
  await page.goto(new URL(ENTRY, site.url).href);
  const toggle = page.locator('button[data-text-size]');
  await toggle.waitFor({ state: 'visible' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  const rootSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const before = await rootSize();
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.ok((await rootSize()) > before * 1.2, 'text got larger');
  // The layout still fits 360 px: nothing scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the 360px screen in large-text mode`);

  await page.reload();
  // Applied from the head script, before site.js and before the button is wired.
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large-text')), true);
  await toggle.waitFor({ state: 'visible' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  // Another page of the portal too.
  await page.goto(site.url);
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large-text')), true);
  // And off again, also remembered.
  await page.locator('button[data-text-size]').click();
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large-text')), false);
  assert.equal(await page.locator('button[data-text-size]').getAttribute('aria-pressed'), 'false');
  assert.deepEqual(foreign, []);
  await context.close();
});

test('copy-link puts the page address on the clipboard and says so', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
  const page = await context.newPage();
  const foreign = watchForeignRequests(page, site.url);
  await page.goto(new URL(ENTRY, site.url).href);
  const canonical = await page.getAttribute('link[rel=canonical]', 'href');
  const button = page.getByRole('button', { name: 'リンクをコピー' });
  await button.waitFor({ state: 'visible' });
  await button.click();
  const status = page.locator('[data-copy-status]');
  await page.waitForFunction(() => document.querySelector('[data-copy-status]').textContent.includes('コピーしました'));
  assert.equal(await status.getAttribute('role'), 'status');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), canonical);
  // The LINE link is a plain link: nothing of LINE's was loaded.
  const line = await page.getAttribute('a.share-line', 'href');
  assert.equal(line, `https://social-plugins.line.me/lineit/share?url=${encodeURIComponent(canonical)}`);
  assert.deepEqual(foreign, []);
  await context.close();
});

test('without JavaScript the copy button stays hidden and the address is shown', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(new URL(ENTRY, site.url).href);
  assert.equal(await page.locator('button[data-copy-link]').isVisible(), false);
  assert.equal(await page.locator('button[data-text-size]').isVisible(), false);
  const canonical = await page.getAttribute('link[rel=canonical]', 'href');
  assert.equal((await page.locator('.share-url-text').textContent()).trim(), canonical);
  await context.close();
});

/** Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`). */
function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/** The text of the PDF's first sheet (poppler's pdftotext), white space removed. */
function firstSheetText(buf) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagu-print-'));
  try {
    const file = path.join(dir, 'page.pdf');
    fs.writeFileSync(file, buf);
    return execFileSync('pdftotext', ['-f', '1', '-l', '1', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function entryPaths(root, kinds) {
  const out = [];
  for (const kind of kinds) {
    const slugs = fs
      .readdirSync(path.join(root, 'content', kind))
      .filter((f) => /\.(md|ya?ml)$/.test(f))
      .map((f) => `${kind}/${f.replace(/\.(md|ya?ml)$/, '')}/`);
    assert.ok(slugs.length > 0, `no ${kind} in ${root}`);
    out.push(...slugs);
  }
  return out.sort();
}

/** The longest `per` entry files of each kind: the ones most likely to spill. */
function longestEntries(root, kinds, per) {
  const out = [];
  for (const kind of kinds) {
    const dir = path.join(root, 'content', kind);
    const files = fs
      .readdirSync(dir)
      .filter((f) => /\.(md|ya?ml)$/.test(f))
      .map((f) => [f, fs.statSync(path.join(dir, f)).size])
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, per);
    out.push(...files.map(([f]) => `${kind}/${f.replace(/\.(md|ya?ml)$/, '')}/`));
  }
  return out;
}

const PRINT_KINDS = ['centers', 'cafeterias', 'organizations', 'events'];
// 110%: the content must leave about a tenth of the sheet free, so another
// Chromium, another Japanese font (Windows, iPhone) or a printer's own
// margins do not push it onto a second sheet.
const SCALES = [1, 1.1];
// The printable area of an A4 sheet with the theme's @page margins
// (10 mm × 12 mm), in CSS pixels at 110%: the viewport the print-mode
// measurements below are taken in.
const MM = 96 / 25.4;
const SHEET = { width: Math.floor((210 - 24) * MM / 1.1), height: Math.floor((297 - 20) * MM / 1.1) };
// A body taller than a third of the sheet may continue on a second
// sheet; an entry with a shorter one must fit one sheet even at 110%.
const LONG_BODY = 1 / 3;

/**
 * Prints `url` to A4 PDFs at each scale and reports what a family would
 * hold: the sheet count, and which of the essentials (name, phone, hours or
 * date, address, access) are missing from the first sheet.
 */
async function printEntry(page, url) {
  await page.goto(url);
  await page.emulateMedia({ media: 'print' });
  const facts = await page.evaluate(() => {
    const text = (sel) => document.querySelector(sel)?.textContent.replace(/\s+/g, '') || null;
    const access = [...document.querySelectorAll('.location p')].find((p) => p.querySelector('.label')?.textContent === '行き方');
    return {
      bodyHeight: document.querySelector('.entry-body')?.getBoundingClientRect().height ?? 0,
      essentials: {
        name: (document.querySelector('h1 .visually-hidden') ?? document.querySelector('h1'))?.textContent.replace(/\s+/g, ''),
        phone: text('.contact .tel-button:not(.visually-hidden)')?.replace('電話をかける', ''),
        hours: text('.hours-list li') ?? text('.event-when'),
        address: text('.location .address'),
        access: access ? access.textContent.replace(/\s+/g, '').replace(/^行き方/, '') : null,
      },
    };
  });
  const sheets = [];
  let missing = [];
  for (const scale of SCALES) {
    const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true, scale });
    sheets.push(pdfPages(pdf));
    if (scale === SCALES[SCALES.length - 1]) {
      const first = firstSheetText(pdf);
      missing = Object.entries(facts.essentials)
        .filter(([, v]) => v && !first.includes(v))
        .map(([k]) => k);
    }
  }
  return { sheets, bodyShare: facts.bodyHeight / SHEET.height, missing };
}

test('every center, cafeteria, organization and event page prints on one A4 page, at 110% too', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: SHEET });
  const page = await context.newPage();
  const problems = [];
  for (const p of entryPaths(repo, PRINT_KINDS)) {
    const r = await printEntry(page, new URL(p, site.url).href);
    if (r.sheets.some((n) => n !== 1)) problems.push(`${p}: ${r.sheets.join('/')} sheets at ${SCALES.join('/')}`);
    if (r.missing.length) problems.push(`${p}: first sheet lacks ${r.missing.join(', ')}`);
  }
  assert.deepEqual(problems, []);
  // Phone numbers and hours are the largest text of the body in print.
  await page.goto(new URL(ENTRY, site.url).href);
  await page.emulateMedia({ media: 'print' });
  const sizes = await page.evaluate(() => {
    const px = (sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
    return { tel: px('.tel-button'), hours: px('.hours-list'), body: px('body'), summary: px('.entry-summary') };
  });
  assert.ok(sizes.tel >= sizes.body * 1.6, JSON.stringify(sizes));
  assert.ok(sizes.hours >= sizes.body * 1.2, JSON.stringify(sizes));
  await context.close();
});

test('the longest entries of a generated 1,000-entry portal: one sheet, or the essentials on the first', async () => {
  const root = generatedPortal(1000);
  const generated = await buildAndServe(root);
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: SHEET });
  const page = await context.newPage();
  const problems = [];
  let spilled = 0;
  try {
    for (const p of longestEntries(root, PRINT_KINDS, 4)) {
      const r = await printEntry(page, new URL(p, generated.url).href);
      const last = r.sheets[r.sheets.length - 1];
      if (last > 1) {
        spilled += 1;
        if (r.bodyShare <= LONG_BODY) {
          problems.push(`${p}: ${last} sheets with a body of only ${Math.round(r.bodyShare * 100)}% of a sheet`);
        }
      }
      if (r.missing.length) problems.push(`${p}: first sheet lacks ${r.missing.join(', ')}`);
    }
  } finally {
    await context.close();
    generated.stop();
  }
  assert.deepEqual(problems, []);
  // The corpus's longest bodies do not fit one sheet: the first-sheet rule
  // above was really exercised.
  assert.ok(spilled > 0, 'no generated entry needed a second sheet');
});

test('the print list of an area lists its wards compactly', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const area = await (async () => {
    await page.goto(new URL('areas/', site.url).href);
    return page.getAttribute('.area-top, .tiles a', 'href');
  })();
  await page.goto(new URL(area, site.url).href);
  const link = page.getByRole('link', { name: 'この地域の印刷用一覧' });
  await link.click();
  await page.waitForLoadState();
  assert.match(await page.textContent('h1'), /印刷用一覧/);
  const items = await page.locator('.print-item').count();
  assert.ok(items > 0, 'no entries listed');
  await page.emulateMedia({ media: 'print' });
  // Compact: two columns of blocks, at least three entries per page on
  // average, at 110% too (room for other fonts and printers).
  for (const scale of SCALES) {
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, scale });
    assert.ok(pdfPages(pdf) <= Math.ceil(items / 3), `${items} entries on ${pdfPages(pdf)} pages at ${scale}`);
  }
  await context.close();
});

// ---------------------------------------------------------------------------
// schema.org vocabulary, from schema-dts (every type is an interface
// `XLeaf extends YBase` with `"@type": "X"`, every property a line
// `"name"?: SchemaValue<Range | …, "name">` in a `…Base` interface, every
// type with subtypes and every enumeration a union `export type X = …`).

function loadVocabulary() {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve('schema-dts/package.json')), 'dist', 'schema.d.ts');
  const src = fs.readFileSync(file, 'utf8');
  const interfaces = new Map(); // name -> { parents, props: Map(prop -> range names) }
  const leafOf = new Map(); // @type -> leaf interface name
  const unions = new Map(); // type name -> members (names and string literals)
  let current = null;
  for (const line of src.split('\n')) {
    const head = line.match(/^(?:export )?interface (\w+)(?: extends ([^{]+))? \{/);
    if (head) {
      current = {
        parents: (head[2] ?? '').split(',').map((s) => s.trim()).filter((s) => /^\w+$/.test(s)),
        props: new Map(),
      };
      interfaces.set(head[1], current);
      continue;
    }
    if (line.startsWith('}')) {
      current = null;
      continue;
    }
    const union = line.match(/^export type (\w+)(?:<[^=]*>)? = (.+);$/);
    if (union) {
      unions.set(union[1], union[2].split('|').map((s) => s.trim()));
      continue;
    }
    if (!current) continue;
    const type = line.match(/^ {4}"@type": "(\w+)";/);
    if (type) {
      leafOf.set(type[1], [...interfaces.entries()].find(([, v]) => v === current)[0]);
      continue;
    }
    const prop = line.match(/^ {4}"([\w-]+)"\??: SchemaValue<(.+), "[\w-]+">;/);
    if (prop) current.props.set(prop[1], prop[2].split('|').map((s) => s.trim()));
  }
  const propsOf = (ty) => {
    const out = new Map();
    const seen = new Set();
    const walk = (name) => {
      if (seen.has(name) || !interfaces.has(name)) return;
      seen.add(name);
      const i = interfaces.get(name);
      for (const [k, v] of i.props) if (!out.has(k)) out.set(k, v);
      i.parents.forEach(walk);
    };
    if (leafOf.has(ty)) walk(leafOf.get(ty));
    return out;
  };
  // Every type a range name accepts: itself and its subtypes, transitively.
  const accepts = (range, ty) => {
    const seen = new Set();
    const walk = (name) => {
      if (name === ty) return true;
      if (seen.has(name)) return false;
      seen.add(name);
      return (unions.get(name) ?? []).some((m) => /^\w+$/.test(m) && walk(m));
    };
    return range.some(walk);
  };
  // Whether a range allows this schema.org enumeration member.
  const allowsMember = (range, url) => {
    const seen = new Set();
    const walk = (name) => {
      if (seen.has(name)) return false;
      seen.add(name);
      const members = unions.get(name) ?? [];
      return members.includes(JSON.stringify(url)) || members.some((m) => /^\w+$/.test(m) && walk(m));
    };
    return range.some(walk);
  };
  return { leafOf, propsOf, accepts, allowsMember };
}

function jsonLdBlocks(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) {
        const html = fs.readFileSync(p, 'utf8');
        for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
          out.push([path.relative(dir, p), JSON.parse(m[1])]);
        }
      }
    }
  };
  walk(dir);
  return out;
}

test('JSON-LD uses only schema.org types and properties, each value in its range', () => {
  const vocab = loadVocabulary();
  assert.ok(vocab.leafOf.size > 500, `only ${vocab.leafOf.size} types read from schema-dts`);
  const blocks = jsonLdBlocks(site.dir);
  assert.ok(blocks.length >= 40, `${blocks.length} JSON-LD blocks`);
  const bad = [];
  const check = (where, node) => {
    const ty = node['@type'];
    if (!vocab.leafOf.has(ty)) {
      bad.push(`${where}: @type ${ty} is not a schema.org type`);
      return;
    }
    const props = vocab.propsOf(ty);
    for (const [k, v] of Object.entries(node)) {
      if (k === '@type' || k === '@context') continue;
      const range = props.get(k);
      if (!range) {
        bad.push(`${where}: ${ty} has no property ${k}`);
        continue;
      }
      for (const x of Array.isArray(v) ? v : [v]) {
        if (x && typeof x === 'object') {
          if (!vocab.accepts(range, x['@type'])) bad.push(`${where}: ${ty}.${k} does not take a ${x['@type']} (range ${range.join(' | ')})`);
          check(`${where}/${k}`, x);
        } else if (typeof x === 'string' && x.startsWith('https://schema.org/')) {
          if (!vocab.allowsMember(range, x)) bad.push(`${where}: ${ty}.${k} = ${x} is not in its range`);
        } else if (typeof x === 'number' && !range.some((r) => ['Number', 'Integer', 'Float', 'Text'].includes(r))) {
          bad.push(`${where}: ${ty}.${k} is a number, range ${range.join(' | ')}`);
        } else if (typeof x === 'boolean' && !range.includes('Boolean')) {
          bad.push(`${where}: ${ty}.${k} is a boolean, range ${range.join(' | ')}`);
        }
      }
    }
  };
  for (const [page, node] of blocks) {
    assert.equal(node['@context'], 'https://schema.org', page);
    check(page, node);
  }
  assert.deepEqual(bad, []);

  // The table tests/jsonld.rs checks against agrees with the vocabulary.
  const rust = fs.readFileSync(path.join(repo, 'tests', 'jsonld.rs'), 'utf8');
  const table = rust.slice(rust.indexOf('const VOCAB'), rust.indexOf('const REQUIRED'));
  const rows = [...table.matchAll(/\(\s*"(\w+)",\s*"https:\/\/schema\.org\/\w+",\s*&\[([^\]]*)\]/g)];
  assert.ok(rows.length >= 10, `read ${rows.length} rows of tests/jsonld.rs VOCAB`);
  for (const [, ty, list] of rows) {
    const props = vocab.propsOf(ty);
    assert.ok(vocab.leafOf.has(ty), `${ty} in tests/jsonld.rs is not a schema.org type`);
    for (const [, p] of list.matchAll(/"(\w+)"/g)) {
      assert.ok(props.has(p), `tests/jsonld.rs lets ${ty} use ${p}, which schema.org does not define for it`);
    }
  }
});
