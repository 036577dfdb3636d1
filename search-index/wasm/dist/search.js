/*
 * tsunagu site search: glue between the search page and the search
 * engine compiled to WebAssembly (tsunagu_search.wasm). All searching,
 * ranking, filtering and highlighting happens in the module; this file
 * only loads it, passes queries and renders results.
 *
 * Plain ES2017, no dependencies, no build step. Expects the markup of
 * search.html and <meta name="tsunagu-base" content="/base/path/">.
 * Files, as the tsunagu CLI lays them out:
 *   the module     tsunagu_search.wasm beside this script (search/),
 *   the index      base + 'search-index/index.bin' (tier 1: names,
 *                  readings, summaries, categories, keywords, filters),
 *   the body       base + 'search-index/index-body.bin' (tier 2: the body
 *                  text and what else the entry pages show),
 *   the worker     base + 'sw.js' (its scope is then the whole site),
 *   opening hours  base + 'opening.js' (the theme's: fills the hits'
 *                  data-hours elements with 受付中 / 次の受付) and
 *                  base + 'data/holidays.json'.
 * `data-wasm` / `data-index` / `data-index-body` / `data-opening` on the
 * [data-tsunagu-search] element override the module, index and opening
 * script URLs.
 *
 * Loading starts when the page loads (module streamed and compiled with
 * instantiateStreaming, both tiers fetched in parallel), not on the first
 * keypress. Results are shown only once both tiers are open, so a shown
 * list is complete: it never re-sorts or changes its count unless the
 * query or the filters change (the CLI searches the same two tiers, so
 * both give the same results in the same order).
 */
(function () {
  'use strict';

  var KIND_LABELS = {
    center: '相談窓口',
    organization: '団体',
    event: 'イベント',
    cafeteria: '食堂・居場所',
    page: '記事'
  };
  var SELECTS = ['kind', 'category', 'area', 'audience', 'method'];
  var FLAGS = ['free', 'anonymous'];
  var PAGE_SIZE = 20;
  var DEBOUNCE_MS = 120;
  var PARTIAL_NOTICE =
    '完全に一致する結果がありません。一部の言葉に一致した結果を表示しています';

  var base = siteBase();
  var scriptUrl = (document.currentScript && document.currentScript.src) || base + 'search/search.js';
  var container = document.querySelector('[data-tsunagu-search]');
  var wasmUrl = setting('data-wasm') || new URL('tsunagu_search.wasm', scriptUrl).href;
  var indexUrl = setting('data-index') || base + 'search-index/index.bin';
  var bodyUrl = setting('data-index-body') || base + 'search-index/index-body.bin';
  var openingUrl = setting('data-opening') || base + 'opening.js';
  var holidaysUrl = base + 'data/holidays.json';
  var form = document.querySelector('.ts-search-form');
  var input = form && form.elements.namedItem('q');
  var results = document.getElementById('ts-results');
  var status = document.getElementById('ts-status');
  var notice = document.getElementById('ts-notice');
  if (!form || !input || !results || !status) return;

  registerServiceWorker();

  var enginePromise = null;
  /** True once the module and both tiers are open. */
  var engineReady = false;
  /** The theme's opening-hours filler, once loaded: a promise of
   *  {fill, holidays} or of null when it cannot be had. */
  var openingPromise = null;
  var timer = 0;
  var shown = 0;
  var lastQuery = null;
  var moreButton = null;

  restoreFromUrl();
  updateFilterCount();
  if (hasCriteria(currentState())) {
    search(false);
  } else {
    // Start loading now, so the first search does not wait for it.
    loadEngine().catch(function () {});
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search(false);
  });
  input.addEventListener('focus', function () {
    loadEngine().catch(function () {});
  });
  input.addEventListener('input', function (event) {
    if (event.isComposing) return;
    scheduleTyped();
  });
  input.addEventListener('compositionend', scheduleTyped);
  form.addEventListener('change', function (event) {
    if (event.target === input) return;
    clearTimeout(timer);
    updateFilterCount();
    search(false);
  });

  /** The closed filter disclosure says how many filters are chosen. */
  function updateFilterCount() {
    var badge = form.querySelector('.ts-filters-count');
    if (!badge) return;
    var state = currentState();
    var active = SELECTS.filter(function (name) {
      return state[name] !== '';
    }).length + FLAGS.filter(function (name) {
      return state[name];
    }).length;
    badge.textContent = active ? '(' + active + '件を指定中)' : '';
    var details = form.querySelector('.ts-filters-toggle');
    if (details) details.setAttribute('data-active', String(active));
  }

  /** As-you-type: from the second character, debounced. */
  function scheduleTyped() {
    clearTimeout(timer);
    var length = Array.from(input.value.trim()).length;
    if (length === 1) return;
    timer = setTimeout(function () {
      search(false);
    }, DEBOUNCE_MS);
  }

  function setting(name) {
    return (container && container.getAttribute(name)) || '';
  }

  function siteBase() {
    var meta = document.querySelector('meta[name="tsunagu-base"]');
    var value = (meta && meta.getAttribute('content')) || '/';
    return value.charAt(value.length - 1) === '/' ? value : value + '/';
  }

  // ------------------------------------------------------------ state

  function currentState() {
    var state = { q: input.value.trim() };
    SELECTS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      state[name] = field ? field.value : '';
    });
    FLAGS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      state[name] = !!(field && field.checked);
    });
    return state;
  }

  function hasCriteria(state) {
    return (
      state.q !== '' ||
      SELECTS.some(function (name) {
        return state[name] !== '';
      }) ||
      FLAGS.some(function (name) {
        return state[name];
      })
    );
  }

  function restoreFromUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    SELECTS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      var value = params.get(name);
      if (!field || !value) return;
      var known = Array.prototype.some.call(field.options, function (option) {
        return option.value === value;
      });
      if (!known) {
        // A shared link may name a value this page's list lacks.
        var option = document.createElement('option');
        option.value = value;
        option.textContent = value;
        field.appendChild(option);
      }
      field.value = value;
    });
    FLAGS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field) field.checked = params.get(name) === '1';
    });
  }

  /** Keeps the address shareable: query and filters in the URL. */
  function syncUrl(state) {
    var params = new URLSearchParams();
    if (state.q) params.set('q', state.q);
    SELECTS.forEach(function (name) {
      if (state[name]) params.set(name, state[name]);
    });
    FLAGS.forEach(function (name) {
      if (state[name]) params.set(name, '1');
    });
    var query = params.toString();
    var url = location.pathname + (query ? '?' + query : '') + location.hash;
    try {
      history.replaceState(history.state, '', url);
    } catch (e) {
      // file:// pages and sandboxed frames may refuse; not important.
    }
  }

  function toQuery(state, offset) {
    var query = {
      text: state.q,
      now: Math.floor(Date.now() / 1000),
      limit: PAGE_SIZE,
      offset: offset
    };
    SELECTS.forEach(function (name) {
      if (state[name]) query[name] = state[name];
    });
    FLAGS.forEach(function (name) {
      if (state[name]) query[name] = true;
    });
    return query;
  }

  // ----------------------------------------------------------- engine

  /**
   * The module and both index tiers, fetched in parallel; resolves once
   * both are open. A failure (network, damaged file) rejects, and the
   * next search tries again.
   */
  function loadEngine() {
    if (!enginePromise) {
      enginePromise = Promise.all([
        instantiate(wasmUrl),
        fetchBytes(indexUrl),
        fetchBytes(bodyUrl)
      ]).then(function (loaded) {
        var engine = makeEngine(loaded[0].instance.exports);
        engine.open(loaded[1]);
        var error = engine.openBody(loaded[2]);
        if (error) throw new Error(error);
        engineReady = true;
        if (container) container.setAttribute('data-engine', 'ready');
        cacheForOffline();
        return engine;
      });
      enginePromise.catch(function () {
        // Let the next search try again (the network may come back).
        enginePromise = null;
      });
    }
    return enginePromise;
  }

  function instantiate(url) {
    var slow = function () {
      return fetchBytes(url).then(function (bytes) {
        return WebAssembly.instantiate(bytes, {});
      });
    };
    if (typeof WebAssembly === 'undefined') {
      return Promise.reject(new Error('WebAssembly is not available'));
    }
    if (!WebAssembly.instantiateStreaming) return slow();
    // instantiateStreaming insists on Content-Type application/wasm, which
    // some static hosts do not send: fall back to bytes.
    return WebAssembly.instantiateStreaming(fetch(url), {}).catch(slow);
  }

  function fetchBytes(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
      return response.arrayBuffer().then(function (buffer) {
        return new Uint8Array(buffer);
      });
    });
  }

  /** The C ABI of tsunagu_search.wasm (see search-index/wasm/src/lib.rs). */
  function makeEngine(x) {
    var encoder = new TextEncoder();
    var decoder = new TextDecoder();
    function put(bytes) {
      var ptr = x.ts_alloc(bytes.length);
      new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
      return ptr;
    }
    function read(ptr) {
      return decoder.decode(new Uint8Array(x.memory.buffer, ptr, x.ts_result_len()));
    }
    return {
      dead: false,
      hasBody: false,
      open: function (bytes) {
        if (x.ts_open(put(bytes), bytes.length) !== 0) {
          throw new Error(JSON.parse(read(x.ts_result_ptr())).error);
        }
      },
      /** Returns null, or the error message (the index still works). */
      openBody: function (bytes) {
        if (x.ts_open_body(put(bytes), bytes.length) !== 0) {
          return JSON.parse(read(x.ts_result_ptr())).error;
        }
        this.hasBody = true;
        return null;
      },
      search: function (query) {
        var bytes = encoder.encode(JSON.stringify(query));
        var ptr = put(bytes);
        try {
          return JSON.parse(read(x.ts_search(ptr, bytes.length)));
        } finally {
          x.ts_free(ptr, bytes.length);
        }
      }
    };
  }

  // ----------------------------------------------------------- search

  /** Searches what the form says; `append`: the next page. */
  function search(append) {
    var state = currentState();
    if (!append) syncUrl(state);
    if (!hasCriteria(state)) {
      lastQuery = null;
      clear();
      setStatus('');
      return;
    }
    var query = append && lastQuery ? lastQuery : toQuery(state, 0);
    if (append) {
      query.offset = shown;
      query.limit = PAGE_SIZE;
    }
    if (!append && !engineReady) setStatus('検索の準備をしています（検索のしくみを読み込み中です）…');
    run(query, append);
  }

  /** Runs `query` and shows the results (`append`: the next page). */
  function run(query, append) {
    var pending = query;
    lastQuery = query;
    loadEngine().then(
      function (engine) {
        if (pending !== lastQuery) return; // a newer search superseded this one
        var found;
        try {
          found = engine.search(query);
        } catch (e) {
          // A trap (the module aborts on a panic) leaves the instance
          // unusable: start from a fresh one next time.
          engine.dead = true;
          enginePromise = null;
          engineReady = false;
          found = { error: String(e && e.message ? e.message : e) };
        }
        if (found.error) {
          showFailure(false, found.error);
          return;
        }
        render(found, append);
      },
      function (error) {
        if (pending !== lastQuery) return;
        showFailure(true, error && error.message ? error.message : String(error));
      }
    );
  }

  function clear() {
    while (results.firstChild) results.removeChild(results.firstChild);
    shown = 0;
    if (notice) notice.hidden = true;
    if (moreButton) moreButton.hidden = true;
  }

  function setStatus(text) {
    // Unchanged text is not rewritten, so screen readers do not announce
    // it again when the results are refreshed.
    if (status.textContent !== text) status.textContent = text;
  }

  function render(found, append) {
    if (!append) clear();
    found.hits.forEach(function (hit) {
      results.appendChild(renderHit(hit));
    });
    shown += found.hits.length;
    if (notice) {
      notice.textContent = PARTIAL_NOTICE;
      notice.hidden = !found.partial;
    }
    if (found.total === 0) {
      setStatus('条件に合う情報が見つかりませんでした。言葉を短くするか、条件を減らしてお試しください。');
    } else if (found.partial) {
      setStatus('一部の言葉に一致した情報が ' + found.total + ' 件あります。');
    } else {
      setStatus(found.total + ' 件見つかりました。');
    }
    updateMore(found.total);
    showCounts(found.facets);
    fillOpening();
  }

  function renderHit(hit) {
    var item = document.createElement('li');
    item.className = 'ts-hit ts-kind-' + hit.kind + (hit.past ? ' ts-hit-is-past' : '');

    var meta = document.createElement('p');
    meta.className = 'ts-hit-meta';
    var kind = document.createElement('span');
    kind.className = 'ts-hit-kind';
    kind.textContent = KIND_LABELS[hit.kind] || hit.kind;
    meta.appendChild(kind);
    if (hit.area) {
      var area = document.createElement('span');
      area.className = 'ts-hit-area';
      // As the rest of the site writes it: 「広島市 安芸区」.
      area.textContent = hit.area.split('/').join(' ');
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(area);
    }
    if (hit.past) {
      var over = document.createElement('span');
      over.className = 'ts-hit-past';
      over.textContent = '終了';
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(over);
    }
    if (hit.kind === 'event' && typeof hit.starts === 'number') {
      var when = document.createElement('time');
      when.className = 'ts-hit-date';
      when.dateTime = new Date(hit.starts * 1000).toISOString();
      when.textContent = formatDate(hit.starts);
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(when);
    }

    var title = document.createElement('h2');
    title.className = 'ts-hit-title';
    var link = document.createElement('a');
    link.href = base + hit.url;
    link.textContent = hit.name;
    title.appendChild(link);

    item.appendChild(title);
    item.appendChild(meta);
    if (hit.summary_highlighted) {
      var summary = document.createElement('p');
      summary.className = 'ts-hit-summary';
      // Escaped by the search engine, with only <mark> added: the one
      // place HTML is inserted.
      summary.innerHTML = hit.summary_highlighted;
      item.appendChild(summary);
    }
    if (hit.phone && hit.tel) {
      var contact = document.createElement('p');
      contact.className = 'ts-hit-contact';
      var phone = document.createElement('a');
      phone.className = 'ts-hit-phone';
      phone.href = hit.tel;
      phone.textContent = '電話 ' + hit.phone;
      contact.appendChild(phone);
      item.appendChild(contact);
    }
    if (hit.hours && !hit.past) {
      // Filled by the theme's opening.js, as on the entry page.
      var open = document.createElement('p');
      open.className = 'ts-hit-open';
      open.setAttribute('data-hours', hit.hours);
      item.appendChild(open);
    }
    return item;
  }

  /**
   * Fills the hits' data-hours elements with the theme's opening.js
   * (loaded on first need; CSP script-src 'self' allows it), using its
   * exported fill(). Without it the elements stay empty and hidden.
   */
  function fillOpening() {
    if (!results.querySelector('[data-hours]')) return;
    if (!openingPromise) {
      openingPromise = Promise.all([loadOpeningScript(), fetch(holidaysUrl).then(function (response) {
        if (!response.ok) throw new Error(holidaysUrl + ': HTTP ' + response.status);
        return response.json();
      })]).then(function (loaded) {
        return { api: loaded[0], holidays: loaded[1] };
      }).catch(function (error) {
        if (window.console) console.warn('tsunagu search: opening hours:', error && error.message ? error.message : error);
        return null;
      });
    }
    openingPromise.then(function (opening) {
      if (!opening) return;
      opening.api.fill(results, opening.holidays, function () {
        return new Date();
      });
    });
  }

  function loadOpeningScript() {
    if (window.TsunaguOpening) return Promise.resolve(window.TsunaguOpening);
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = openingUrl;
      script.onload = function () {
        if (window.TsunaguOpening && window.TsunaguOpening.fill) resolve(window.TsunaguOpening);
        else reject(new Error(openingUrl + ' has no fill()'));
      };
      script.onerror = function () {
        reject(new Error(openingUrl + ': not loaded'));
      };
      document.head.appendChild(script);
    });
  }

  function formatDate(seconds) {
    try {
      return new Intl.DateTimeFormat('ja-JP', {
        timeZone: 'Asia/Tokyo',
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit'
      }).format(new Date(seconds * 1000));
    } catch (e) {
      return new Date(seconds * 1000).toLocaleString();
    }
  }

  function updateMore(total) {
    if (shown >= total) {
      if (moreButton) moreButton.hidden = true;
      return;
    }
    if (!moreButton) {
      moreButton = document.createElement('button');
      moreButton.type = 'button';
      moreButton.className = 'ts-more';
      moreButton.addEventListener('click', function () {
        search(true);
      });
      results.parentNode.insertBefore(moreButton, results.nextSibling);
    }
    moreButton.textContent = 'さらに表示（残り ' + (total - shown) + ' 件）';
    moreButton.hidden = false;
  }

  /** Shows beside each filter choice how many results it would give. */
  function showCounts(facets) {
    if (!facets) return;
    SELECTS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      var counts = facets[name] || {};
      if (!field) return;
      Array.prototype.forEach.call(field.options, function (option) {
        if (!option.value) return;
        if (!option.hasAttribute('data-label')) {
          option.setAttribute('data-label', option.textContent);
        }
        var count = counts[option.value] || 0;
        option.textContent = option.getAttribute('data-label') + '（' + count + '）';
      });
    });
    FLAGS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field || !field.parentNode) return;
      var label = field.parentNode;
      var badge = label.querySelector('.ts-count');
      if (!badge) {
        badge = document.createElement('span');
        badge.className = 'ts-count';
        label.appendChild(badge);
      }
      var count = (facets[name] || {})['true'] || 0;
      badge.textContent = '（' + count + '）';
    });
  }

  /** A calm message with ways to continue without search. */
  function showFailure(loading, detail) {
    clear();
    var message = loading
      ? '検索の準備ができませんでした。通信状況を確かめて、ページを再読み込みしてください。一覧から探すこともできます。'
      : '検索中に問題が起きました。言葉を変えてもう一度お試しください。一覧から探すこともできます。';
    setStatus(message);
    var links = [
      ['相談窓口の一覧', 'centers/'],
      ['分類から探す', 'categories/'],
      ['地域から探す', 'areas/']
    ];
    links.forEach(function (entry) {
      var item = document.createElement('li');
      item.className = 'ts-fallback';
      var link = document.createElement('a');
      link.href = base + entry[1];
      link.textContent = entry[0];
      item.appendChild(link);
      results.appendChild(item);
    });
    if (window.console && detail) console.warn('tsunagu search:', detail);
  }

  // ---------------------------------------------------------- offline

  function registerServiceWorker() {
    if (!('serviceWorker' in navigator)) return;
    try {
      navigator.serviceWorker.register(base + 'sw.js').catch(function () {});
    } catch (e) {
      // Unsupported context (file://, some private modes): search still works.
    }
  }

  /**
   * Asks the service worker to keep what this page needs offline: the
   * page itself, its stylesheets, the module, both index tiers and the
   * opening-hours script and holidays, once they are loaded (so that the
   * worker's copy is not downloaded alongside the page's).
   */
  function cacheForOffline() {
    if (!('serviceWorker' in navigator) || !navigator.serviceWorker.ready) return;
    var urls = [location.pathname, wasmUrl, indexUrl, bodyUrl, scriptUrl, openingUrl, holidaysUrl];
    Array.prototype.forEach.call(document.querySelectorAll('link[rel~="stylesheet"][href]'), function (link) {
      urls.push(link.href);
    });
    navigator.serviceWorker.ready
      .then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({ type: 'tsunagu-cache', urls: urls });
        }
      })
      .catch(function () {});
  }
})();
