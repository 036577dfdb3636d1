/* tsunagu — hiroshima theme. Small, optional: the site works without it.
   - 「すぐに閉じる」: leaves with location.replace (so Back does not return here);
     the Esc key does the same (in a filled text field the first Esc only clears it).
   - 「リンクをコピー」: copies the page's address (navigator.clipboard, else a
     hidden textarea and execCommand) and says so in a live region; shown
     only when one of the two can work. 「印刷する」 calls window.print().
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
  var copyButtons = document.querySelectorAll('[data-copy-link]');
  var status = document.querySelector('[data-copy-status]');
  var say = function (text) {
    if (!status) { return; }
    /* Emptied first so the same message is announced again on a second copy. */
    status.textContent = '';
    window.setTimeout(function () { status.textContent = text; }, 50);
  };
  var copyByHand = function (text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  };
  var canCopy = (navigator.clipboard && window.isSecureContext) ||
    (document.queryCommandSupported && document.queryCommandSupported('copy'));
  Array.prototype.forEach.call(copyButtons, function (b) {
    if (!canCopy) { return; }
    var item = b.closest('[data-copy-item]');
    if (item) { item.hidden = false; }
    b.addEventListener('click', function () {
      var url = b.getAttribute('data-copy-link') || window.location.href;
      var done = function () { say('リンクをコピーしました。LINEやメールに貼り付けて送れます。'); };
      var failed = function () {
        say(copyByHand(url) ? 'リンクをコピーしました。LINEやメールに貼り付けて送れます。'
          : 'コピーできませんでした。下のアドレスを長押しして、コピーしてください。');
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, failed);
      } else {
        failed();
      }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-print]'), function (b) {
    if (typeof window.print !== 'function') { return; }
    var item = b.closest('[data-print-item]');
    if (item) { item.hidden = false; }
    b.addEventListener('click', function () { window.print(); });
  });
  if ('serviceWorker' in navigator) {
    window.addEventListener('load', function () {
      navigator.serviceWorker.register(base + 'sw.js').catch(function () {});
    });
  }
}());
