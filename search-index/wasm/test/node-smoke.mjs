// Proves that the checked-in dist/tsunagu_search.wasm works: loads it,
// opens a bundle written by the Rust example `write-fixture-bundle`, runs
// queries through the C ABI and checks the hits.
//
//   cd search-index/wasm && node --test test/
//
// The bundles are built with cargo unless TSUNAGU_FIXTURE_BUNDLE names an
// existing index.bin (with index-body.bin beside it).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wasmPath = join(here, '..', 'dist', 'tsunagu_search.wasm');
const repoRoot = join(here, '..', '..', '..');

let built = null;

/** The fixture's two tiers: { index, body } (index.bin, index-body.bin). */
function fixtureTiers() {
  if (built) return built;
  let out = process.env.TSUNAGU_FIXTURE_BUNDLE;
  if (!out || !existsSync(out)) {
    out = join(mkdtempSync(join(tmpdir(), 'tsunagu-smoke-')), 'index.bin');
    execFileSync(
      'cargo',
      ['run', '--quiet', '-p', 'tsunagu-search', '--example', 'write-fixture-bundle', '--', out, '--tiers'],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  built = { index: readFileSync(out), body: readFileSync(out.replace(/\.bin$/, '-body.bin')) };
  return built;
}

const fixtureBundle = () => fixtureTiers().index;

/** A module instance with the same glue search.js uses, minus the DOM. */
async function engine() {
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
  const x = instance.exports;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const put = (bytes) => {
    const ptr = x.ts_alloc(bytes.length);
    new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  };
  const text = (ptr) => dec.decode(new Uint8Array(x.memory.buffer, ptr, x.ts_result_len()));
  const call = (fn, input) => {
    const bytes = typeof input === 'string' ? enc.encode(input) : input;
    const ptr = put(bytes);
    try {
      return text(fn(ptr, bytes.length));
    } finally {
      x.ts_free(ptr, bytes.length);
    }
  };
  return {
    exports: x,
    /** Returns null on success, else the error message. */
    open(bytes) {
      const status = x.ts_open(put(bytes), bytes.length);
      return status === 0 ? null : JSON.parse(text(x.ts_result_ptr())).error;
    },
    /** Returns null on success, else the error message. */
    openBody(bytes) {
      const status = x.ts_open_body(put(bytes), bytes.length);
      return status === 0 ? null : JSON.parse(text(x.ts_result_ptr())).error;
    },
    search: (query) => JSON.parse(call(x.ts_search, JSON.stringify(query))),
    searchRaw: (json) => JSON.parse(call(x.ts_search, json)),
    normalize: (s) => call(x.ts_normalize, s),
  };
}

let search;

before(async () => {
  search = await engine();
  assert.equal(search.open(fixtureBundle()), null, 'ts_open succeeds');
  assert.equal(search.openBody(fixtureTiers().body), null, 'ts_open_body succeeds');
});

test('the module has no imports and the documented exports', () => {
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  assert.deepEqual(WebAssembly.Module.imports(module), []);
  const names = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const name of [
    'memory', 'ts_alloc', 'ts_free', 'ts_open', 'ts_open_body', 'ts_search',
    'ts_result_ptr', 'ts_result_len', 'ts_normalize',
  ]) {
    assert.ok(names.includes(name), `exports ${name}`);
  }
});

test('a query finds the expected entries, best first, highlighted', () => {
  const r = search.search({ text: '相談' });
  assert.ok(r.total >= 3, `total ${r.total}`);
  assert.equal(r.partial, false);
  assert.equal(r.hits[0].slug, 'hiroshima-hikikomori-center');
  assert.match(r.hits[0].summary_highlighted, /<mark>相談<\/mark>/);
  assert.equal(r.hits[0].url, 'centers/hiroshima-hikikomori-center/');
  assert.equal(r.hits[0].kind, 'center');
});

test('Japanese analysis behaves as natively', () => {
  assert.equal(search.normalize('ＡＢＣｶﾀｶﾅ'), 'abcかたかな');
  const slugs = (q) => search.search(q).hits.map((h) => h.slug);
  assert.ok(slugs({ text: 'そうだん' }).includes('hiroshima-hikikomori-center'));
  assert.ok(slugs({ text: 'こども食堂' }).includes('asa-kodomo-shokudo'));
  assert.ok(slugs({ text: 'カフェ' }).includes('cafe-komorebi'));
  assert.ok(slugs({ text: '呉' }).includes('kenko-fukushi-center'));
});

test('filters, facet counts, events and the partial fallback', () => {
  const area = search.search({ area: '広島市' });
  assert.equal(area.facets.area['広島市'], 6);
  assert.equal(area.facets.area['広島市/中区'], 3);
  assert.ok(area.hits.every((h) => h.area.startsWith('広島市')));
  // Past events last, marked; or only them, or none, on request.
  const events = search.search({ kind: 'event', now: 1750000000 });
  assert.deepEqual(events.hits.map((h) => [h.slug, h.past]), [
    ['ongoing-exhibition', false],
    ['online-soudankai', false],
    ['seminar-2023', true],
  ]);
  const past = search.search({ kind: 'event', now: 1750000000, past_events: 'only' });
  assert.deepEqual(past.hits.map((h) => h.slug), ['seminar-2023']);
  const upcoming = search.search({ kind: 'event', now: 1750000000, past_events: 'exclude' });
  assert.deepEqual(upcoming.hits.map((h) => h.slug), ['ongoing-exhibition', 'online-soudankai']);
  const partial = search.search({ text: '食堂 宇宙船' });
  assert.equal(partial.partial, true);
  assert.ok(partial.total > 0);
});

test('bad queries give an error result and the module stays usable', () => {
  assert.match(search.searchRaw('{not json').error, /invalid query/);
  assert.match(search.search({ text: 5 }).error, /invalid query/);
  assert.ok(search.search({ text: '相談' }).total > 0);
});

test('a foreign or damaged bundle is refused with a message', async () => {
  const other = await engine();
  const html = new TextEncoder().encode('<!DOCTYPE html><title>404</title>');
  assert.match(other.open(html), /not a tsunagu search index/);
  assert.match(other.search({ text: '相談' }).error, /not open/);
  const bundle = fixtureBundle();
  const truncated = bundle.subarray(0, bundle.length - 10);
  assert.match(other.open(truncated), /damaged/);
});

test('the body tier adds body matches; a wrong one is refused and search goes on', async () => {
  const tiered = await engine();
  assert.equal(tiered.open(fixtureTiers().index), null);
  const slugs = (q) => tiered.search(q).hits.map((h) => h.slug);
  // 居場所 is only in kenko-fukushi-center's body.
  assert.ok(slugs({ text: '居場所' }).includes('wakamono-ibasho'));
  assert.ok(!slugs({ text: '居場所' }).includes('kenko-fukushi-center'));
  assert.equal(tiered.search({ text: '保健師' }).total, 0);
  assert.match(tiered.openBody(fixtureTiers().index), /index-body\.bin/);
  assert.match(tiered.openBody(new TextEncoder().encode('<!DOCTYPE html>')), /not a tsunagu search index/);
  assert.equal(tiered.search({ text: '保健師' }).total, 0, 'still usable');
  assert.equal(tiered.openBody(fixtureTiers().body), null);
  assert.ok(slugs({ text: '居場所' }).includes('kenko-fukushi-center'));
  assert.deepEqual(slugs({ text: '保健師' }), ['kenko-fukushi-center']);
  // Same answers as the engine opened with both from the start.
  for (const text of ['相談', '居場所', 'ひきこもり 秘密', '呉']) {
    assert.deepEqual(tiered.search({ text }), search.search({ text }), text);
  }
  const fresh = await engine();
  assert.match(fresh.openBody(fixtureTiers().body), /not open/);
});
