/* tsunagu — 「受付中」「次の受付」 for opening hours. Optional: the page
   shows the hours in words without it.

   Every element with a data-hours attribute gets its text replaced:
     <p data-hours='{"tz":"Asia/Tokyo","status":"open","rules":[
        {"days":["mon","fri"],"open":"15:00","close":"21:00"},
        {"weekday":"thu","nth":3,"open":"13:30","close":"16:30"}]}'></p>
   → 「受付中(21:00まで)」, 「次の受付:12月5日(木)13:30から」, 「休止中」 or
     「受付時間外」 (no opening in the next 62 days), computed in the site's
   timezone (tz) whatever the visitor's clock is set to.

   National holidays come from <base>data/holidays.json (base from
   <meta name="tsunagu-base">), which every build writes. On a holiday a rule
   applies only if its days list "hol" (most 窓口 are closed on holidays);
   monthly rules (第n曜) never apply on a holiday. If the holidays cannot be
   loaded, or data-hours is not valid, the element is left as it was.
   The element also gets data-open="true" | "false" | "paused" for styling.

   Closed days (optional "closed" list, since the closures of issue #13;
   pages without it work as before). Each entry closes whole days, whatever
   the rules say, and carries a "label" shown as 「本日は休み(label)」:
     {"yearly":"12-29","to":"01-03","label":"年末年始"}   every year, MM-DD,
                                   inclusive; may cross the new year
     {"date":"2027-01-15","to":"2027-01-15","label":"臨時休館"}  one-off days
     {"weekday":"tue","nth":3,"label":"休館日"}   第3火曜 (nth -1: the last)
     {"month_end":true,"label":"月末日"}          the last day of each month
     {"after_holiday":true,"label":"祝日の翌日"}  a day after a holiday that
                                   is not a holiday itself
     {"holiday_moves":"mon","label":"休館日"}     when a Monday is a holiday,
                                   the next day that is not a holiday
   The build resolves 年末年始 and お盆 to dates from site.toml [closures],
   so the script needs no settings. A form it does not know closes nothing.

   Plain ES2017, no dependencies, nothing inline (CSP script-src 'self').
   The computation is pure and exported for tests:
     nextOpening(rules, holidays, now, closed) → {open: true, until} | {open: false, next} | {open: false}
       (with closedToday: the label, when a closure closes today)
     closedBy(closed, day, holidays) → the closure closing that day, or null
     textFor(data, holidays, now) → the text, or null to leave the element alone
     wallClock(date, tz) → {year, month, day, hour, minute} in tz */
(function (root) {
  'use strict';

  var DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  var DAY_JA = ['日', '月', '火', '水', '木', '金', '土'];
  var LOOKAHEAD_DAYS = 62;
  var MINUTES_PER_DAY = 1440;

  function toMinutes(hhmm) {
    var m = /^(\d{1,2}):(\d{2})$/.exec(String(hhmm || ''));
    if (!m) { return null; }
    var h = Number(m[1]);
    var min = Number(m[2]);
    if (min > 59 || h > 24 || (h === 24 && min !== 0)) { return null; }
    return h * 60 + min;
  }

  function pad2(n) { return (n < 10 ? '0' : '') + n; }

  function isoDate(d) { return d.year + '-' + pad2(d.month) + '-' + pad2(d.day); }

  /* The civil day `offset` days after y-m-d (UTC arithmetic: no DST, no
     dependence on the visitor's timezone). */
  function civilDay(y, m, d, offset) {
    var t = new Date(Date.UTC(y, m - 1, d + offset));
    return {
      year: t.getUTCFullYear(),
      month: t.getUTCMonth() + 1,
      day: t.getUTCDate(),
      weekday: t.getUTCDay()
    };
  }

  function daysInMonth(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }

  /* Whether a rule applies on a day. */
  function applies(rule, day, holiday) {
    if (Array.isArray(rule.days)) {
      if (holiday) { return rule.days.indexOf('hol') !== -1; }
      return rule.days.indexOf(DAY_KEYS[day.weekday]) !== -1;
    }
    if (typeof rule.weekday === 'string') {
      if (holiday || DAY_KEYS[day.weekday] !== rule.weekday) { return false; }
      if (rule.nth === -1) { return day.day + 7 > daysInMonth(day.year, day.month); }
      return Math.ceil(day.day / 7) === rule.nth;
    }
    return false;
  }

  function isHoliday(holidays, day) {
    return Object.prototype.hasOwnProperty.call(holidays, isoDate(day));
  }

  /* "MM-DD" of a day, to compare as strings. */
  function monthDay(day) { return pad2(day.month) + '-' + pad2(day.day); }

  /* Whether one closure closes `day` (see the header for the forms). */
  function closes(c, day, holidays) {
    if (!c || typeof c !== 'object') { return false; }
    if (typeof c.yearly === 'string') {
      var md = monthDay(day);
      var to = typeof c.to === 'string' ? c.to : c.yearly;
      return c.yearly <= to ? (c.yearly <= md && md <= to) : (md >= c.yearly || md <= to);
    }
    if (typeof c.date === 'string') {
      var d = isoDate(day);
      return c.date <= d && d <= (typeof c.to === 'string' ? c.to : c.date);
    }
    if (c.month_end === true) { return day.day === daysInMonth(day.year, day.month); }
    if (c.after_holiday === true) {
      return !isHoliday(holidays, day) && isHoliday(holidays, civilDay(day.year, day.month, day.day, -1));
    }
    if (typeof c.weekday === 'string' && typeof c.nth === 'number') {
      if (DAY_KEYS[day.weekday] !== c.weekday) { return false; }
      if (c.nth === -1) { return day.day + 7 > daysInMonth(day.year, day.month); }
      return Math.ceil(day.day / 7) === c.nth;
    }
    if (typeof c.holiday_moves === 'string') {
      if (isHoliday(holidays, day)) { return false; }
      /* Walk back over the holidays just before the day. */
      for (var k = -1; k >= -10; k -= 1) {
        var p = civilDay(day.year, day.month, day.day, k);
        if (!isHoliday(holidays, p)) { return false; }
        if (DAY_KEYS[p.weekday] === c.holiday_moves) { return true; }
      }
    }
    return false;
  }

  /* The first closure in `closed` that closes `day`, or null. */
  function closedBy(closed, day, holidays) {
    if (!Array.isArray(closed)) { return null; }
    for (var i = 0; i < closed.length; i += 1) {
      if (closes(closed[i], day, holidays || {})) { return closed[i]; }
    }
    return null;
  }

  /* The point `minutes` after the start of `today`, as a day and a time. */
  function at(now, minutes, isEnd) {
    var offset = Math.floor(minutes / MINUTES_PER_DAY);
    var rest = minutes - offset * MINUTES_PER_DAY;
    if (isEnd && rest === 0 && offset > 0) {
      offset -= 1;
      rest = MINUTES_PER_DAY; /* 24:00 of the day before, not 0:00 */
    }
    var day = civilDay(now.year, now.month, now.day, offset);
    day.offset = offset;
    day.time = Math.floor(rest / 60) + ':' + pad2(rest % 60);
    day.date = isoDate(day);
    return day;
  }

  /* Open now (and until when), or the next opening within 62 days.
     now: {year, month, day, hour, minute}, the wall clock in the site's zone.
     holidays: {"2026-01-01": "元日", ...}. */
  function nextOpening(rules, holidays, now, closed) {
    holidays = holidays || {};
    var nowMinutes = now.hour * 60 + now.minute;
    var spans = [];
    var today = closedBy(closed, civilDay(now.year, now.month, now.day, 0), holidays);
    for (var k = 0; k <= LOOKAHEAD_DAYS; k += 1) {
      var day = civilDay(now.year, now.month, now.day, k);
      if (closedBy(closed, day, holidays)) { continue; }
      var holiday = isHoliday(holidays, day);
      for (var i = 0; i < rules.length; i += 1) {
        var rule = rules[i];
        if (!rule || !applies(rule, day, holiday)) { continue; }
        var open = toMinutes(rule.open);
        var close = toMinutes(rule.close);
        if (open === null || close === null || close <= open) { continue; }
        spans.push([k * MINUTES_PER_DAY + open, k * MINUTES_PER_DAY + close]);
      }
    }
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    /* Rules that touch or overlap are one opening (12:00 close, 12:00 open;
       Friday until 24:00 and Saturday from 0:00). */
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) {
        if (s[1] > last[1]) { last[1] = s[1]; }
      } else {
        merged.push([s[0], s[1]]);
      }
    });
    var closedToday = today ? String(today.label || '休館日') : null;
    for (var j = 0; j < merged.length; j += 1) {
      if (merged[j][0] <= nowMinutes && nowMinutes < merged[j][1]) {
        return { open: true, until: at(now, merged[j][1], true) };
      }
      if (merged[j][0] > nowMinutes) {
        var r = { open: false, next: at(now, merged[j][0], false) };
        if (closedToday) { r.closedToday = closedToday; }
        return r;
      }
    }
    return closedToday ? { open: false, closedToday: closedToday } : { open: false };
  }

  function dayJa(d) { return d.month + '月' + d.day + '日(' + DAY_JA[d.weekday] + ')'; }

  /* The text for one data-hours value, or null to leave the element alone. */
  function textFor(data, holidays, now) {
    if (!data || typeof data !== 'object') { return null; }
    if (data.status === 'paused') { return '休止中'; }
    if (data.status === 'closed') { return null; }
    if (!Array.isArray(data.rules) || data.rules.length === 0) { return null; }
    var r = nextOpening(data.rules, holidays, now, data.closed);
    var prefix = r.closedToday ? '本日は休み(' + r.closedToday + ')。' : '';
    if (r.open) {
      var until = r.until.offset === 0 ? r.until.time
        : r.until.offset === 1 ? '翌' + r.until.time
          : dayJa(r.until) + r.until.time;
      return '受付中(' + until + 'まで)';
    }
    if (r.next) { return prefix + '次の受付:' + dayJa(r.next) + r.next.time + 'から'; }
    return prefix + '受付時間外';
  }

  /* The wall clock in `tz` at `date`. */
  function wallClock(date, tz) {
    var parts = {};
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23'
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour) % 24,
      minute: Number(parts.minute)
    };
  }

  /* Fills every [data-hours] element of `doc`; `clock()` returns the
     current Date. */
  function fill(doc, holidays, clock) {
    var els = doc.querySelectorAll('[data-hours]');
    for (var i = 0; i < els.length; i += 1) {
      var el = els[i];
      var data;
      try {
        data = JSON.parse(el.getAttribute('data-hours'));
      } catch (e) {
        continue;
      }
      var now;
      try {
        now = wallClock(clock(), (data && data.tz) || 'Asia/Tokyo');
      } catch (e) {
        continue; /* an unknown timezone */
      }
      var text = textFor(data, holidays, now);
      if (text === null) { continue; }
      el.textContent = text;
      el.setAttribute('data-open', data.status === 'paused' ? 'paused' : String(text.indexOf('受付中') === 0));
    }
  }

  /* Loads the holidays with `load(url)` (a promise of the parsed JSON),
     then fills the page. Resolves to the holidays, or false. */
  function start(doc, load, clock) {
    if (!doc.querySelector('[data-hours]')) { return Promise.resolve(false); }
    var meta = doc.querySelector('meta[name="tsunagu-base"]');
    var base = (meta && meta.getAttribute('content')) || '/';
    return load(base + 'data/holidays.json').then(function (holidays) {
      fill(doc, holidays, clock);
      return holidays;
    }, function () { return false; });
  }

  var api = {
    nextOpening: nextOpening,
    textFor: textFor,
    wallClock: wallClock,
    applies: applies,
    closedBy: closedBy,
    fill: fill,
    start: start,
    LOOKAHEAD_DAYS: LOOKAHEAD_DAYS
  };

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else {
    root.TsunaguOpening = api;
  }

  if (typeof document !== 'undefined' && typeof fetch === 'function') {
    var load = function (url) {
      return fetch(url, { credentials: 'same-origin' }).then(function (res) {
        if (!res.ok) { throw new Error(String(res.status)); }
        return res.json();
      });
    };
    var clock = function () { return new Date(); };
    var run = function () {
      start(document, load, clock).then(function (holidays) {
        if (holidays) {
          /* Keep it right while the page stays open. */
          setInterval(function () { fill(document, holidays, clock); }, 60000);
        }
      });
    };
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', run);
    } else {
      run();
    }
  }
}(typeof globalThis !== 'undefined' ? globalThis : this));
