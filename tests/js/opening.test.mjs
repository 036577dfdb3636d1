// Tests for themes/hiroshima/static/opening.js (「受付中」「次の受付」).
// Run: node --test tests/js/
//
// Every case is at a fixed wall-clock instant in the site's zone, so the
// results never depend on when or where the tests run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const opening = require('../../themes/hiroshima/static/opening.js');
const { nextOpening, textFor, wallClock, fill, start } = opening;

// As data/holidays.json has them (2026–2027, the days these tests touch).
const HOLIDAYS = {
  '2026-09-21': '敬老の日',
  '2026-09-22': '国民の休日',
  '2026-09-23': '秋分の日',
  '2026-11-23': '勤労感謝の日',
  '2027-01-01': '元日',
  '2027-01-11': '成人の日',
};

const at = (date, time) => {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return { year, month, day, hour, minute };
};

const text = (rules, date, time, extra = {}) =>
  textFor({ tz: 'Asia/Tokyo', status: 'open', rules, ...extra }, HOLIDAYS, at(date, time));

const MON_FRI = [{ days: ['mon', 'fri'], open: '15:00', close: '21:00' }];

test('weekly: open now, with the closing time', () => {
  // 2026-12-04 is a Friday.
  assert.equal(text(MON_FRI, '2026-12-04', '16:00'), '受付中(21:00まで)');
  assert.equal(text(MON_FRI, '2026-12-04', '15:00'), '受付中(21:00まで)', 'opening minute counts');
  const r = nextOpening(MON_FRI, HOLIDAYS, at('2026-12-04', '20:59'));
  assert.equal(r.open, true);
  assert.equal(r.until.time, '21:00');
  assert.equal(r.until.date, '2026-12-04');
});

test('weekly: before opening today', () => {
  assert.equal(text(MON_FRI, '2026-12-04', '12:00'), '次の受付:12月4日(金)15:00から');
});

test('weekly: closed now, next on another day', () => {
  assert.equal(text(MON_FRI, '2026-12-04', '21:00'), '次の受付:12月7日(月)15:00から', 'closing minute is closed');
  assert.equal(text(MON_FRI, '2026-12-04', '23:30'), '次の受付:12月7日(月)15:00から');
  assert.equal(text(MON_FRI, '2026-12-05', '16:00'), '次の受付:12月7日(月)15:00から', 'Saturday');
  const r = nextOpening(MON_FRI, HOLIDAYS, at('2026-12-05', '16:00'));
  assert.deepEqual(
    { open: r.open, date: r.next.date, time: r.next.time, weekday: r.next.weekday },
    { open: false, date: '2026-12-07', time: '15:00', weekday: 1 },
  );
});

test('times may be written without a leading zero', () => {
  const rules = [{ days: ['fri'], open: '9:00', close: '17:00' }];
  assert.equal(text(rules, '2026-12-04', '08:00'), '次の受付:12月4日(金)9:00から');
  assert.equal(text(rules, '2026-12-04', '09:30'), '受付中(17:00まで)');
});

test('monthly: the last day of a month → next month\'s 第1月曜', () => {
  const first = [{ weekday: 'mon', nth: 1, open: '10:00', close: '12:00' }];
  // 2026-11-30 is the last day of November (a 5th Monday).
  assert.equal(text(first, '2026-11-30', '10:30'), '次の受付:12月7日(月)10:00から');
  // Across the year: 2027-01-04 is the first Monday of January.
  assert.equal(text(first, '2026-12-31', '09:00'), '次の受付:1月4日(月)10:00から');
  assert.equal(text(first, '2026-12-07', '11:00'), '受付中(12:00まで)');
});

test('monthly: 第3木曜 and 第2土曜', () => {
  const rules = [
    { weekday: 'thu', nth: 3, open: '13:30', close: '16:30' },
    { weekday: 'sat', nth: 2, open: '10:00', close: '15:00' },
  ];
  // December 2026: Saturdays 5, 12; Thursdays 3, 10, 17.
  assert.equal(text(rules, '2026-12-01', '09:00'), '次の受付:12月12日(土)10:00から');
  assert.equal(text(rules, '2026-12-13', '09:00'), '次の受付:12月17日(木)13:30から');
  assert.equal(text(rules, '2026-12-17', '14:00'), '受付中(16:30まで)');
});

test('monthly nth -1: the last Friday, in a 5-Friday and a 4-Friday month', () => {
  const last = [{ weekday: 'fri', nth: -1, open: '18:00', close: '20:00' }];
  // January 2026 has five Fridays (2, 9, 16, 23, 30): the 23rd is not the last.
  assert.equal(text(last, '2026-01-23', '19:00'), '次の受付:1月30日(金)18:00から');
  assert.equal(text(last, '2026-01-24', '12:00'), '次の受付:1月30日(金)18:00から');
  assert.equal(text(last, '2026-01-30', '19:00'), '受付中(20:00まで)');
  // February 2026 has four (6, 13, 20, 27).
  assert.equal(text(last, '2026-02-01', '12:00'), '次の受付:2月27日(金)18:00から');
  assert.equal(text(last, '2026-02-20', '19:00'), '次の受付:2月27日(金)18:00から');
});

test('holidays: a Monday holiday closes a Monday rule', () => {
  const mon = [{ days: ['mon'], open: '10:00', close: '12:00' }];
  // 2026-09-21 (Mon) is 敬老の日.
  assert.equal(text(mon, '2026-09-21', '09:00'), '次の受付:9月28日(月)10:00から');
  assert.equal(text(mon, '2026-09-21', '10:30'), '次の受付:9月28日(月)10:00から');
  // Without the holiday list the same instant would be open.
  assert.equal(
    textFor({ tz: 'Asia/Tokyo', rules: mon }, {}, at('2026-09-21', '10:30')),
    '受付中(12:00まで)',
  );
});

test('holidays: a rule listing hol opens on holidays', () => {
  const withHol = [{ days: ['mon', 'hol'], open: '10:00', close: '12:00' }];
  assert.equal(text(withHol, '2026-09-21', '10:30'), '受付中(12:00まで)');
  // 2026-09-22 (Tue) is 国民の休日: open because of hol, not because of Tuesday.
  assert.equal(text(withHol, '2026-09-22', '11:00'), '受付中(12:00まで)');
  assert.equal(text(withHol, '2026-09-23', '08:00'), '次の受付:9月23日(水)10:00から', '秋分の日');
  const holOnly = [{ days: ['hol'], open: '13:00', close: '15:00' }];
  assert.equal(text(holOnly, '2026-09-20', '12:00'), '次の受付:9月21日(月)13:00から');
});

test('holidays: monthly rules do not apply on a holiday', () => {
  // 2026-11-23 is the 4th Monday of November and 勤労感謝の日.
  const fourth = [{ weekday: 'mon', nth: 4, open: '10:00', close: '12:00' }];
  assert.equal(text(fourth, '2026-11-23', '09:00'), '次の受付:12月28日(月)10:00から');
});

test('status paused and closed', () => {
  assert.equal(text(MON_FRI, '2026-12-04', '16:00', { status: 'paused' }), '休止中');
  assert.equal(text(MON_FRI, '2026-12-04', '16:00', { status: 'closed' }), null, 'closed: left alone');
  assert.equal(textFor({ tz: 'Asia/Tokyo', rules: [] }, HOLIDAYS, at('2026-12-04', '16:00')), null);
  assert.equal(textFor(null, HOLIDAYS, at('2026-12-04', '16:00')), null);
});

test('touching rules are one opening, also across midnight', () => {
  const split = [
    { days: ['fri'], open: '09:00', close: '12:00' },
    { days: ['fri'], open: '12:00', close: '17:00' },
  ];
  assert.equal(text(split, '2026-12-04', '11:00'), '受付中(17:00まで)');
  const night = [
    { days: ['fri'], open: '22:00', close: '24:00' },
    { days: ['sat'], open: '00:00', close: '02:00' },
  ];
  assert.equal(text(night, '2026-12-04', '23:00'), '受付中(翌2:00まで)');
  assert.equal(text(night, '2026-12-05', '01:00'), '受付中(2:00まで)');
  const late = [{ days: ['fri'], open: '22:00', close: '24:00' }];
  assert.equal(text(late, '2026-12-04', '23:00'), '受付中(24:00まで)');
});

test('nothing within 62 days', () => {
  // Only on holidays, and none in the list after 2027-01-11.
  const holOnly = [{ days: ['hol'], open: '13:00', close: '15:00' }];
  assert.equal(text(holOnly, '2027-01-12', '12:00'), '受付時間外');
  assert.equal(opening.LOOKAHEAD_DAYS, 62);
});

test('the wall clock is the site zone\'s, whatever the machine\'s', () => {
  // 07:00 UTC is 16:00 in Tokyo, on Friday 2026-12-04.
  const now = wallClock(new Date('2026-12-04T07:00:00Z'), 'Asia/Tokyo');
  assert.deepEqual(now, { year: 2026, month: 12, day: 4, hour: 16, minute: 0 });
  // 15:30 UTC on the 4th is already 00:30 on the 5th in Tokyo.
  assert.deepEqual(wallClock(new Date('2026-12-04T15:30:00Z'), 'Asia/Tokyo'),
    { year: 2026, month: 12, day: 5, hour: 0, minute: 30 });
  assert.deepEqual(wallClock(new Date('2026-12-04T15:30:00Z'), 'UTC'),
    { year: 2026, month: 12, day: 4, hour: 15, minute: 30 });
});

// A page with just enough DOM for the glue code.
function fakeDocument(base, attrs) {
  const els = attrs.map((a) => ({
    attrs: { 'data-hours': a },
    textContent: '月・金 15:00〜21:00',
    getAttribute(n) { return this.attrs[n] ?? null; },
    setAttribute(n, v) { this.attrs[n] = v; },
  }));
  return {
    els,
    querySelector(sel) {
      if (sel === 'meta[name="tsunagu-base"]') return base && { getAttribute: () => base };
      if (sel === '[data-hours]') return els[0] ?? null;
      return null;
    },
    querySelectorAll(sel) { return sel === '[data-hours]' ? els : []; },
  };
}

test('the page: holidays from <base>data/holidays.json, every [data-hours] filled', async () => {
  const good = JSON.stringify({ tz: 'Asia/Tokyo', status: 'open', rules: MON_FRI });
  const paused = JSON.stringify({ tz: 'Asia/Tokyo', status: 'paused', rules: MON_FRI });
  const doc = fakeDocument('/sub/', [good, paused, '{not json', JSON.stringify({ tz: 'Nowhere/Zone', rules: MON_FRI })]);
  const asked = [];
  const load = (url) => { asked.push(url); return Promise.resolve(HOLIDAYS); };
  const clock = () => new Date('2026-12-04T07:00:00Z');
  const result = await start(doc, load, clock);
  assert.deepEqual(result, HOLIDAYS);
  assert.deepEqual(asked, ['/sub/data/holidays.json']);
  assert.equal(doc.els[0].textContent, '受付中(21:00まで)');
  assert.equal(doc.els[0].attrs['data-open'], 'true');
  assert.equal(doc.els[1].textContent, '休止中');
  assert.equal(doc.els[1].attrs['data-open'], 'paused');
  assert.equal(doc.els[2].textContent, '月・金 15:00〜21:00', 'bad JSON: left alone');
  assert.equal(doc.els[3].textContent, '月・金 15:00〜21:00', 'unknown zone: left alone');

  // Later the same day: closed.
  fill(doc, HOLIDAYS, () => new Date('2026-12-04T12:30:00Z'));
  assert.equal(doc.els[0].textContent, '次の受付:12月7日(月)15:00から');
  assert.equal(doc.els[0].attrs['data-open'], 'false');
});

test('the page: without the holidays file nothing changes', async () => {
  const doc = fakeDocument(null, [JSON.stringify({ tz: 'Asia/Tokyo', rules: MON_FRI })]);
  const asked = [];
  const result = await start(doc, (url) => { asked.push(url); return Promise.reject(new Error('404')); }, () => new Date());
  assert.equal(result, false);
  assert.deepEqual(asked, ['/data/holidays.json'], 'base defaults to /');
  assert.equal(doc.els[0].textContent, '月・金 15:00〜21:00');
});

test('a page without [data-hours] fetches nothing', async () => {
  const doc = fakeDocument('/', []);
  let fetched = false;
  assert.equal(await start(doc, () => { fetched = true; return Promise.resolve({}); }, () => new Date()), false);
  assert.equal(fetched, false);
});

// Closed days (#13): a 窓口 open Monday to Friday 9:00–17:00, closed over
// the New Year (site.toml's default 12-29..01-03, as the build writes it)
// and on a one-off 臨時休館 day. 2026-12-28 is a Monday.
const NEW_YEAR_HOLIDAYS = { ...HOLIDAYS, '2027-01-01': '元日' };
const WEEKDAYS = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '9:00', close: '17:00' }];
const CLOSED = [
  { yearly: '12-29', to: '01-03', label: '年末年始' },
  { date: '2027-01-15', to: '2027-01-15', label: '臨時休館' },
];
const center = (date, time, closed = CLOSED) =>
  textFor({ tz: 'Asia/Tokyo', status: 'open', rules: WEEKDAYS, closed }, NEW_YEAR_HOLIDAYS, at(date, time));

test('closures: the fixed clocks of the New Year and a 臨時休館 day', () => {
  assert.equal(center('2026-12-28', '16:59'), '受付中(17:00まで)', 'the last working day, before closing');
  assert.equal(center('2026-12-28', '17:00'), '次の受付:1月4日(月)9:00から', '12/28 17:00: not 12/29');
  assert.equal(center('2026-12-29', '10:00'), '本日は休み(年末年始)。次の受付:1月4日(月)9:00から');
  assert.equal(center('2027-01-03', '12:00'), '本日は休み(年末年始)。次の受付:1月4日(月)9:00から');
  assert.equal(center('2027-01-04', '08:59'), '次の受付:1月4日(月)9:00から');
  assert.equal(center('2027-01-04', '09:00'), '受付中(17:00まで)', '1/4 09:00 open again');
  assert.equal(center('2027-01-14', '17:30'), '次の受付:1月18日(月)9:00から', 'skips the 臨時休館 Friday');
  assert.equal(center('2027-01-15', '10:00'), '本日は休み(臨時休館)。次の受付:1月18日(月)9:00から');
  // The same page without closures (what the badge said before #13).
  assert.equal(center('2026-12-29', '10:00', null), '受付中(17:00まで)');
});

test('closures: every form closes the right days', () => {
  const { closedBy } = opening;
  const day = (s) => {
    const [year, month, d] = s.split('-').map(Number);
    const t = new Date(Date.UTC(year, month - 1, d));
    return { year, month, day: d, weekday: t.getUTCDay() };
  };
  const hol = { '2026-09-21': '敬老の日', '2026-09-22': '国民の休日', '2026-09-23': '秋分の日', '2027-01-11': '成人の日' };
  const is = (c, s) => closedBy([c], day(s), hol) !== null;
  assert.ok(is({ weekday: 'tue', nth: 3 }, '2026-12-15'));
  assert.ok(!is({ weekday: 'tue', nth: 3 }, '2026-12-08'));
  assert.ok(is({ weekday: 'fri', nth: -1 }, '2026-12-25'));
  assert.ok(is({ month_end: true }, '2028-02-29'));
  assert.ok(!is({ month_end: true }, '2028-02-28'));
  assert.ok(is({ yearly: '08-13', to: '08-16' }, '2027-08-16'));
  assert.ok(!is({ yearly: '08-13', to: '08-16' }, '2027-08-17'));
  assert.ok(is({ yearly: '06-01' }, '2027-06-01'));
  // Monday 9/21 to Wednesday 9/23 are holidays: a Monday closure lands on Thursday.
  assert.ok(is({ holiday_moves: 'mon' }, '2026-09-24'));
  assert.ok(!is({ holiday_moves: 'mon' }, '2026-09-22'));
  assert.ok(is({ holiday_moves: 'mon' }, '2027-01-12'));
  assert.ok(!is({ holiday_moves: 'mon' }, '2027-01-19'));
  assert.ok(is({ after_holiday: true }, '2026-09-24'), 'the day after 秋分の日');
  assert.ok(!is({ after_holiday: true }, '2026-09-22'), 'a holiday itself is not');
  assert.ok(!is({ after_holiday: true }, '2026-09-25'));
  assert.ok(!is({ someday: 'soon' }, '2027-01-19'), 'an unknown form closes nothing');
});
