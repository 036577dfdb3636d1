// A portal made by `tsunagu import csv` from the standard 公共施設一覧
// fixture, served and opened in headless Chromium: the multi-line 備考
// (notes) shows as two lines, not one run-on line, and the other name
// (名称_通称) is on the page (#12 items 2 and 6).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, serve, repo, tsunaguBinary } from './lib.mjs';

let site;
let browser;
let dir;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagu-import-notes-'));
  const root = path.join(dir, 'portal');
  fs.mkdirSync(path.join(root, 'content'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'site.toml'), path.join(root, 'site.toml'));
  execFileSync(tsunaguBinary(), [
    'import', 'csv', path.join(repo, 'tests/fixtures/import/sync/facilities-new.csv'),
    '--kind', 'center', '--root', root,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  // hours_note with two lines, written by an editor.
  const file = path.join(root, 'content/centers/center-341002-0002.md');
  const text = fs.readFileSync(file, 'utf8')
    .replace('source:', 'hours_note: "第1日曜は休み\\n夏休みは9:00から"\nsource:');
  fs.writeFileSync(file, text);
  site = await serve(root);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('multi-line notes and hours_note keep their line breaks on the page', async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}centers/center-341002-0001/`);
  // innerText follows the CSS: a run-on line would have no line break.
  const notes = await page.$eval('.entry-notes', (p) => p.innerText);
  assert.deepEqual(notes.split('\n'), ['駐車場はありません', '来所の前にお電話ください']);
  const aliases = await page.$eval('.entry-aliases', (p) => p.innerText);
  assert.match(aliases, /中区相談室/);
  await page.goto(`${site.url}centers/center-341002-0002/`);
  const extra = await page.$eval('.hours-extra', (p) => p.innerText);
  assert.deepEqual(extra.split('\n'), ['第1日曜は休み', '夏休みは9:00から']);
  await page.close();
});
