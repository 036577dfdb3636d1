/* tsunagu — hiroshima theme: large-text mode.
   Loaded in <head> without defer, so the saved choice is applied before the
   first paint (no flash of small text); the page's CSP allows no inline
   script, hence this small file. The choice is kept on this device only
   (localStorage), never sent anywhere. The 「文字を大きく」 button is shown
   once the page is ready; it is a toggle button (aria-pressed). */
(function () {
  'use strict';
  var KEY = 'tsunagu-large-text';
  var root = document.documentElement;
  var store = null;
  try {
    store = window.localStorage;
  } catch (e) {
    store = null; /* storage blocked (private mode, policy): the toggle still works for this page */
  }
  function saved() {
    try {
      return store !== null && store.getItem(KEY) === '1';
    } catch (e) {
      return false;
    }
  }
  function apply(on) {
    if (on) {
      root.classList.add('large-text');
    } else {
      root.classList.remove('large-text');
    }
  }
  apply(saved());
  function wire() {
    var buttons = document.querySelectorAll('[data-text-size]');
    Array.prototype.forEach.call(buttons, function (b) {
      b.setAttribute('aria-pressed', root.classList.contains('large-text') ? 'true' : 'false');
      b.hidden = false;
      b.addEventListener('click', function () {
        var on = !root.classList.contains('large-text');
        apply(on);
        try {
          if (store !== null) {
            if (on) { store.setItem(KEY, '1'); } else { store.removeItem(KEY); }
          }
        } catch (e) {
          /* full or blocked storage: the setting lasts for this page only */
        }
        Array.prototype.forEach.call(buttons, function (x) {
          x.setAttribute('aria-pressed', on ? 'true' : 'false');
        });
      });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', wire);
  } else {
    wire();
  }
}());
