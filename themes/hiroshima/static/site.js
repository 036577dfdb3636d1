/* tsunagu — hiroshima theme. Small, optional: the site works without it.
   - 「すぐに閉じる」: leaves with location.replace (so Back does not return here);
     the Esc key does the same (in a filled text field the first Esc only clears it).
   - Registers the service worker (offline use) where supported. */
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="tsunagu-base"]');
  var base = (meta && meta.getAttribute('content')) || '/';
  var exit = document.querySelector('[data-quick-exit]');
  if (exit) {
    var leave = function () {
      document.documentElement.className += ' leaving';
      window.location.replace(exit.href);
    };
    exit.addEventListener('click', function (ev) {
      ev.preventDefault();
      leave();
    });
    document.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Escape' && ev.key !== 'Esc' && ev.keyCode !== 27) { return; }
      var t = ev.target;
      var tag = t && t.tagName;
      if ((tag === 'INPUT' || tag === 'TEXTAREA') && t.value) { return; }
      leave();
    });
  }
  if ('serviceWorker' in navigator) {
    window.addEventListener('load', function () {
      navigator.serviceWorker.register(base + 'sw.js').catch(function () {});
    });
  }
}());
