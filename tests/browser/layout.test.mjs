// The layout a family sees on a phone (360×740) and a desktop (1280×900),
// in normal and large-text mode, on the built demo portal (#13):
// - the header and the hotline bar fit their budget (≤ 160 px on the phone,
//   ≤ 240 px in large-text mode) and every link in them can be reached;
// - tap targets of the header, menu, hotline bar, breadcrumbs and the top
//   page's ways to browse are at least 44 px;
// - the text-size toggle never looks like the quick exit;
// - the top page's first screen holds the search box, the hotline and the
//   ways to browse, no card is listed twice, 「最近確認した情報」 has places;
// - no line breaks inside a word in the hotline bar, entry headings and
//   card titles (line boxes from Range.getClientRects; a word is what the
//   browser's own Japanese dictionary segmenter, Intl.Segmenter, calls one,
//   plus words families saw split: 24時間, 電話相談…);
// - furigana only over kanji, each run with its reading on one line;
// - event pages use event labels and show a phone to ask.
// Screenshots of each page and mode are written to target/screenshots/
// (kept by CI as artifacts; look at them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, repo } from './lib.mjs';
import { buildAndServe } from '../fixtures/quality/static-site.mjs';

const SHOTS = path.join(repo, 'target', 'screenshots');
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
/** Header + hotline bar budget, by viewport and text size. */
const BUDGET = { phone: { normal: 160, large: 240 }, desktop: { normal: 240, large: 240 } };
const MODES = [
  ['phone', PHONE],
  ['desktop', DESKTOP],
];
/** Words that were seen broken in the middle on a 360 px phone. */
const WORDS = ['24時間', '電話相談', '誰でも', '就労', '徒歩約3分', 'ホットライン', '相談窓口'];

let site;
let browser;

before(async () => {
  site = await buildAndServe();
  browser = await launch();
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  site?.stop();
});

async function open(viewport, large, pathname) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
  if (large) await context.addInitScript(() => localStorage.setItem('tsunagu-large-text', '1'));
  const page = await context.newPage();
  await page.goto(new URL(pathname, site.url).href);
  await page.locator('button[data-text-size]').waitFor({ state: 'visible' });
  return { page, close: () => context.close() };
}

function shot(page, name) {
  return page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Entry pages of the demo, from the list pages. */
async function entryPages() {
  const { page, close } = await open(DESKTOP, false, '');
  const urls = new Set();
  for (const list of ['centers/', 'cafeterias/', 'organizations/', 'events/']) {
    await page.goto(new URL(list, site.url).href);
    for (const href of await page.$$eval('main .card-title a', (as) => as.map((a) => a.getAttribute('href')))) {
      urls.add(href.replace(/^\//, ''));
    }
  }
  await close();
  return [...urls];
}

/**
 * Line breaks inside words in the elements matching `selector`: for each
 * element, its visible text (no furigana, no visually hidden copy), the
 * line of each character from its layout box, and every place two
 * neighbouring characters sit on different lines that is not a word
 * boundary (Intl.Segmenter) or splits one of WORDS.
 */
function brokenWords(page, selector, words) {
  return page.$$eval(
    selector,
    (els, words) => {
      const problems = [];
      const seg = new Intl.Segmenter('ja', { granularity: 'word' });
      for (const el of els) {
        if (el.getClientRects().length === 0) continue;
        const chars = [];
        // Where the build allows a break (<wbr>), as character positions.
        const wbr = new Set();
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (n.nodeType === Node.ELEMENT_NODE) {
            if (n.localName === 'wbr') wbr.add(chars.length);
            continue;
          }
          if (n.parentElement.closest('rt, rp, .visually-hidden')) continue;
          for (let i = 0; i < n.data.length; i++) {
            const r = document.createRange();
            r.setStart(n, i);
            r.setEnd(n, i + 1);
            const rect = [...r.getClientRects()].find((x) => x.width > 0);
            chars.push({ c: n.data[i], top: rect ? rect.top : null, bottom: rect ? rect.bottom : null, w: rect ? rect.width : 0 });
          }
        }
        const text = chars.map((x) => x.c).join('');
        const boundaries = new Set([0, text.length]);
        const segments = [...seg.segment(text)];
        for (const s of segments) boundaries.add(s.index);
        // A word wider than the whole line has to break somewhere.
        const style = getComputedStyle(el);
        const line = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const width = (a, b) => chars.slice(a, b).reduce((sum, x) => sum + x.w, 0);
        const tooWide = (i) => {
          const s = segments.find((x) => x.index < i && i < x.index + x.segment.length);
          if (s !== undefined && width(s.index, s.index + s.segment.length) > line) return true;
          // Or the unbreakable phrase around it (between <wbr>s and spaces).
          const open = (k) => k === 0 || wbr.has(k) || /\s/.test(text[k - 1]);
          let a = i;
          while (!open(a)) a--;
          let b = i + 1;
          while (b < text.length && !open(b)) b++;
          return width(a, b) > line;
        };
        // A new line starts where a character begins below the previous one's box.
        const breaks = [];
        let last = null;
        chars.forEach((x, i) => {
          if (x.top === null) return;
          if (last !== null && x.top >= chars[last].bottom - 1) breaks.push(i);
          last = i;
        });
        for (const i of breaks) {
          const word = words.find((w) => {
            for (let at = text.indexOf(w); at !== -1; at = text.indexOf(w, at + 1)) {
              if (at < i && i < at + w.length) return true;
            }
            return false;
          });
          // Spaces are a break on their own; the boundary test looks past them.
          let j = i;
          while (j > 0 && /\s/.test(text[j - 1])) j--;
          if ((word || !(boundaries.has(i) || boundaries.has(j))) && !tooWide(i)) {
            problems.push(`${text.slice(0, i)}／${text.slice(i)}${word ? ` (in 「${word}」)` : ''}`);
          }
        }
      }
      return problems;
    },
    words,
  );
}

for (const [name, viewport] of MODES) {
  for (const large of [false, true]) {
    const mode = `${name}${large ? ' in large-text mode' : ''}`;
    const tag = `${name}-${viewport.width}${large ? '-large' : ''}`;

    test(`${mode}: the header and hotline bar fit their budget and every link in them is reachable`, async () => {
      const limit = BUDGET[name][large ? 'large' : 'normal'];
      for (const pathname of ['', 'centers/', 'search/']) {
        const { page, close } = await open(viewport, large, pathname);
        await shot(page, `${tag}-${pathname.replace(/\W/g, '') || 'top'}`);
        const bottom = await page.$eval('.hotline-bar', (el) => el.getBoundingClientRect().bottom);
        assert.ok(bottom <= limit, `${pathname || 'top'}: header and hotline bar end at ${bottom}px (limit ${limit})`);
        // Every menu link: scrolled into view (the menu scrolls sideways on a
        // phone), it is on screen and nothing covers it.
        const links = await page.$$('.site-header a, .site-header button, .hotline-bar a:visible');
        assert.ok(links.length >= 8);
        for (const link of links) {
          await link.scrollIntoViewIfNeeded();
          const hit = await link.evaluate((el) => {
            const r = el.getBoundingClientRect();
            const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return { ok: el === at || el.contains(at), text: el.textContent, r: [r.left, r.right] };
          });
          assert.ok(hit.ok && hit.r[0] >= 0 && hit.r[1] <= viewport.width + 1, `cannot reach 「${hit.text}」 (${hit.r})`);
        }
        // The hotlines hidden from the phone's bar are one tap away.
        if (await page.locator('.hotline-more').isVisible()) {
          assert.equal(await page.locator('#hotlines').count(), 1, '「ほかの電話相談」 leads nowhere');
        }
        await close();
      }
    });

    test(`${mode}: tap targets are at least 44 px and the text-size toggle never looks like the quick exit`, async () => {
      const { page, close } = await open(viewport, large, 'centers/hiroshima-hikikomori-center-chubu/');
      const small = await page.$$eval(
        '.site-header a, .site-header button, .hotline-bar a, .breadcrumbs a',
        (els) =>
          els
            .filter((el) => el.getClientRects().length > 0)
            .map((el) => ({ t: el.textContent.trim(), h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
            .filter((x) => x.h < 44 || x.w < 44),
      );
      assert.deepEqual(small, [], 'tap targets under 44 px');
      const looks = () =>
        page.evaluate(() => {
          const lum = (c) => {
            const [r, g, b] = c.match(/\d+(\.\d+)?/g).map(Number);
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
          };
          const style = (sel) => getComputedStyle(document.querySelector(sel));
          const t = style('[data-text-size]');
          const q = style('[data-quick-exit]');
          return { toggle: lum(t.backgroundColor), exit: lum(q.backgroundColor), tr: t.borderTopLeftRadius, qr: q.borderTopLeftRadius };
        });
      for (const state of ['first', 'toggled']) {
        const l = await looks();
        assert.ok(l.toggle > 0.7 && l.exit < 0.3, `${state}: toggle ${l.toggle.toFixed(2)} vs quick exit ${l.exit.toFixed(2)}`);
        assert.notEqual(l.tr, l.qr, `${state}: the toggle has the quick exit's rounded shape`);
        await page.locator('[data-text-size]').click();
      }
      await close();
    });

    test(`${mode}: no line break inside a word in the hotline bar, entry headings and card titles`, async () => {
      const problems = [];
      const { page, close } = await open(viewport, large, '');
      problems.push(...(await brokenWords(page, '.hotline-bar li:not([hidden]), .hotline-more, .card-title', WORDS)).map((p) => `top: ${p}`));
      for (const list of ['centers/', 'cafeterias/', 'organizations/', 'events/']) {
        await page.goto(new URL(list, site.url).href);
        problems.push(...(await brokenWords(page, '.card-title', WORDS)).map((p) => `${list}: ${p}`));
      }
      for (const entry of await entryPages()) {
        await page.goto(new URL(entry, site.url).href);
        problems.push(...(await brokenWords(page, '.entry-header h1', WORDS)).map((p) => `${entry}: ${p}`));
      }
      await close();
      assert.deepEqual(problems, []);
    });
  }
}

test('phone: the top page first screen holds the search box, the hotline and the ways to browse; nothing is listed twice', async () => {
  const { page, close } = await open(PHONE, false, '');
  await shot(page, 'phone-360-top-first-screen');
  for (const sel of ['.hero input[type=search]', '.hotline-bar a[href^="tel:"]', '.ways a']) {
    const boxes = await page.$$eval(sel, (els) => els.filter((e) => e.getClientRects().length).map((e) => e.getBoundingClientRect().bottom));
    assert.ok(boxes.length > 0, `${sel} missing`);
    assert.ok(Math.max(...boxes) <= PHONE.height, `${sel} ends at ${Math.max(...boxes)}px, below the first screen`);
  }
  const cards = await page.$$eval('main .cards .card-title a', (as) => as.map((a) => a.getAttribute('href')));
  const twice = cards.filter((h, i) => cards.indexOf(h) !== i);
  assert.deepEqual(twice, [], 'cards listed twice on the top page');
  const recentKinds = await page.$$eval('.recent .card', (cs) => cs.map((c) => c.className));
  assert.ok(recentKinds.some((k) => /card-(center|cafeteria)/.test(k)), `最近確認した情報 has no place: ${recentKinds}`);
  await close();
});

test('event pages use event labels and show a phone to ask', async () => {
  const { page, close } = await open(PHONE, false, 'events/');
  const events = await page.$$eval('main .card-title a', (as) => as.map((a) => a.getAttribute('href').replace(/^\//, '')));
  assert.ok(events.length > 0);
  let withPhone = 0;
  for (const e of events) {
    await page.goto(new URL(e, site.url).href);
    const article = await page.$eval('article', (a) => a.innerText);
    assert.match(article, /参加方法/, e);
    assert.match(article, /申込/, e);
    for (const centerLabel of ['相談の方法', '匿名', '連絡先']) {
      assert.ok(!article.includes(centerLabel), `${e}: center label 「${centerLabel}」`);
    }
    if (await page.locator('.contact a[href^="tel:"]').count()) {
      assert.match(await page.$eval('.contact h2', (h) => h.textContent), /問い合わせ/);
      withPhone++;
    }
  }
  await page.goto(new URL(events[0], site.url).href);
  await shot(page, 'phone-360-event');
  assert.ok(withPhone > 0, 'no event page shows a phone to ask');
  await close();
});

test('furigana sits over kanji only, each run with its reading on one line', async () => {
  const { page, close } = await open(PHONE, true, '');
  let rubies = 0;
  for (const entry of await entryPages()) {
    await page.goto(new URL(entry, site.url).href);
    const found = await page.$$eval('.entry-header ruby', (rs) =>
      rs.map((r) => {
        const base = [...r.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join('');
        return { base, rt: r.querySelector('rt')?.textContent ?? '', lines: r.getClientRects().length };
      }),
    );
    for (const r of found) {
      assert.match(r.base, /^[\p{Script=Han}々〆]+$/u, `${entry}: furigana 「${r.rt}」 over 「${r.base}」`);
      assert.equal(r.lines, 1, `${entry}: 「${r.base}」 split across lines`);
    }
    rubies += found.length;
    // A reading that could not be split over the kanji is on its own line.
    const kana = await page.locator('.entry-kana').count();
    if (found.length === 0 && kana > 0) {
      const [name, reading] = await Promise.all([
        page.$eval('.entry-header h1', (h) => h.getBoundingClientRect().top),
        page.$eval('.entry-kana', (p) => p.getBoundingClientRect().bottom),
      ]);
      assert.ok(reading <= name + 1, `${entry}: the reading is not above the name`);
    }
  }
  assert.ok(rubies > 0, 'no furigana on any demo page');
  await close();
});
