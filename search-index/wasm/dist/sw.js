/*
 * tsunagu service worker: keeps the site usable offline after a first
 * visit, search included.
 *
 * - The search module and index (tsunagu_search.wasm, index.bin,
 *   index-body.bin) and static assets (CSS, JS, fonts, images):
 *   cache-first. The cache name carries the build id, which the tsunagu
 *   CLI substitutes for the placeholder below on every build, so a new
 *   build's worker starts a fresh cache and deletes the old ones: a
 *   cached index never outlives the build it belongs to.
 * - Pages (HTML): network-first, falling back to the cached copy, so
 *   people see current information whenever they are online.
 *
 * Caching happens on first use: pages as they are visited, the search
 * files when search.js asks (message "tsunagu-cache") after loading them.
 * Registered at the site base (base + 'sw.js'), so its scope is the site.
 */
'use strict';

var BUILD_ID = '__TSUNAGU_BUILD_ID__';
var PREFIX = 'tsunagu-';
var CACHE = PREFIX + BUILD_ID;
var SCOPE = self.registration ? self.registration.scope : self.location.href.replace(/[^/]*$/, '');

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf(PREFIX) === 0 && name !== CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
      .then(cacheOpenPages)
  );
});

/** The pages open when the worker first activates were fetched before it
 *  existed; keep them too ("the page being visited"). */
function cacheOpenPages() {
  return self.clients.matchAll({ type: 'window' }).then(function (windows) {
    return Promise.all(
      windows.map(function (client) {
        return inScope(client.url) ? store(client.url) : null;
      })
    );
  });
}

self.addEventListener('message', function (event) {
  var data = event.data;
  if (!data || data.type !== 'tsunagu-cache' || !Array.isArray(data.urls)) return;
  var work = Promise.all(
    data.urls.slice(0, 50).map(function (url) {
      var absolute = new URL(url, SCOPE).href;
      return inScope(absolute) ? store(absolute, true) : null;
    })
  ).then(function () {
    // Optional reply port: lets a caller (the tests) know the copies are in.
    if (event.ports && event.ports[0]) event.ports[0].postMessage({ type: 'tsunagu-cached' });
  });
  if (event.waitUntil) event.waitUntil(work);
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET' || !inScope(request.url)) return;
  var url = new URL(request.url);
  if (request.mode === 'navigate' || isHtml(request)) {
    event.respondWith(networkFirst(request));
  } else if (isStatic(url, request)) {
    event.respondWith(cacheFirst(request));
  }
});

function inScope(url) {
  return typeof url === 'string' && url.indexOf(SCOPE) === 0;
}

function isHtml(request) {
  var accept = request.headers.get('Accept') || '';
  return accept.indexOf('text/html') !== -1;
}

function isStatic(url, request) {
  if (/\/(tsunagu_search\.wasm|index\.bin|index-body\.bin)$/.test(url.pathname)) return true;
  return ['style', 'script', 'font', 'image'].indexOf(request.destination) !== -1;
}

/** Fetches and caches one URL. `onlyIfMissing` keeps an existing copy. */
function store(url, onlyIfMissing) {
  return caches.open(CACHE).then(function (cache) {
    var fetchAndPut = function () {
      // Revalidate with the server rather than trust the HTTP cache: the
      // copy kept here may serve for a long time.
      return fetch(new Request(url, { cache: 'no-cache', credentials: 'same-origin' }))
        .then(function (response) {
          if (response.ok) return putComplete(cache, stripQuery(url), response);
          return null;
        })
        .catch(function () {
          return null;
        });
    };
    var key = stripQuery(url);
    if (writing[key]) return writing[key];
    if (!onlyIfMissing) return fetchAndPut();
    return cache.match(key).then(function (hit) {
      return hit ? null : fetchAndPut();
    });
  });
}

/** Writes in progress, by URL: one write per URL at a time. */
var writing = {};

/**
 * Stores a response only once its whole body has arrived. Putting a
 * streaming response replaces the old entry even if the download then
 * fails (the connection drops as people go offline), which would lose a
 * good copy exactly when it is needed.
 */
function putComplete(cache, key, response) {
  var url = typeof key === 'string' ? key : key.url;
  if (writing[url]) return writing[url];
  var done = function () {
    delete writing[url];
  };
  writing[url] = response
    .blob()
    .then(function (body) {
      return cache.put(
        url,
        new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers
        })
      );
    })
    .then(done, function (error) {
      done();
      throw error;
    });
  return writing[url];
}

function stripQuery(url) {
  var u = new URL(url);
  u.search = '';
  u.hash = '';
  return u.href;
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    var pending = writing[request.url] || Promise.resolve();
    return pending.catch(function () {}).then(function () {
      return cache.match(request);
    }).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (response.ok && response.type === 'basic') {
          putComplete(cache, request, response.clone()).catch(function () {});
        }
        return response;
      });
    });
  });
}

function networkFirst(request) {
  return fetch(request)
    .then(function (response) {
      if (response.ok && response.type === 'basic') {
        var copy = response.clone();
        caches
          .open(CACHE)
          .then(function (cache) {
            // Pages are kept without their query string: the search page
            // opened as ?q=… must still be found offline for any query.
            return putComplete(cache, stripQuery(request.url), copy);
          })
          .catch(function () {});
      }
      return response;
    })
    .catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(stripQuery(request.url)).then(function (hit) {
          return hit || offlinePage();
        });
      });
    });
}

function offlinePage() {
  var html =
    '<!doctype html><html lang="ja"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>オフラインです</title>' +
    '<body>' +
    '<h1>オフラインです</h1>' +
    '<p>インターネットにつながっていないため、このページを表示できません。' +
    '以前に開いたページとサイト内検索は、オフラインでも使えます。</p>' +
    '<p><a href="' + SCOPE + '">トップページへ</a></p></body></html>';
  return new Response(html, {
    status: 503,
    headers: { 'Content-Type': 'text/html; charset=utf-8' }
  });
}
