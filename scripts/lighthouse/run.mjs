// Lighthouse (pinned in package.json, mobile preset) on four pages of the
// demo portal (the top, a center, the search page, a list; plus the search
// page with a query typed in), served the way docs/publishing.md tells a host to serve it:
// the precompressed .br/.gz copies when the browser accepts them (gzip on
// the fly for the rest), a year of caching for content-hashed names,
// no-cache for HTML and sw.js, an hour for everything else.
//
//   (cd scripts/lighthouse && npm ci) && node scripts/lighthouse/run.mjs \
//       [--bin target/release/tsunagu] [--markdown] [--save DIR]
//
// Prints one line per page with the four category scores, and with
// --markdown a table for docs/quality.md. Exits 1 when any score is below
// 100. Not part of scripts/test.sh: Lighthouse's simulated throttling takes
// about 20 s a page and its score depends on the machine's load.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const bin = path.resolve(repo, opt('--bin', process.env.TSUNAGU_BIN ?? 'target/debug/tsunagu'));
if (!fs.existsSync(bin)) throw new Error(`build tsunagu first (cargo build), or pass --bin: ${bin}`);

const PAGES = [
  ['top', ''],
  ['a center', 'centers/setagaya-link/'],
  ['search', 'search/'],
  ['a list', 'centers/'],
  ['search with a query', 'search/?q=%E7%9B%B8%E8%AB%87'],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.wasm': 'application/wasm',
  '.xml': 'application/xml', '.ics': 'text/calendar; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.bin': 'application/octet-stream',
};
const HASHED = /\.[0-9a-f]{10}\.(css|js|mjs|svg|png|jpe?g|gif|webp|avif|ico|woff2?)$/;

function cacheControl(file) {
  if (HASHED.test(file)) return 'public, max-age=31536000, immutable';
  if (/\.(html|xml|ics)$/.test(file) || file.endsWith('/sw.js')) return 'no-cache';
  return 'public, max-age=3600';
}

/** A static host configured as docs/publishing.md says. */
function host(root) {
  return http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, rel);
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': TYPES['.html'] });
      res.end(fs.readFileSync(path.join(root, '404.html')));
      return;
    }
    const accept = String(req.headers['accept-encoding'] ?? '');
    const headers = {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': cacheControl(file),
      'Vary': 'Accept-Encoding',
      'X-Content-Type-Options': 'nosniff',
    };
    let body = fs.readFileSync(file);
    if (/\bbr\b/.test(accept) && fs.existsSync(`${file}.br`)) {
      body = fs.readFileSync(`${file}.br`);
      headers['Content-Encoding'] = 'br';
    } else if (/\bgzip\b/.test(accept) && fs.existsSync(`${file}.gz`)) {
      body = fs.readFileSync(`${file}.gz`);
      headers['Content-Encoding'] = 'gzip';
    } else if (/\bgzip\b/.test(accept) && /^(text|application\/(json|xml|wasm)|image\/svg)/.test(headers['Content-Type'])) {
      body = zlib.gzipSync(body);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagu-lighthouse-'));
const out = path.join(work, 'public');
const server = host(out);
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}/`;
execFileSync(bin, ['build', '--root', repo, '--out', out, '--base-url', origin, '--quiet'], {
  stdio: 'inherit',
  env: { ...process.env, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? '1764547200' },
});

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const version = JSON.parse(fs.readFileSync(path.join(repo, 'scripts/lighthouse/node_modules/lighthouse/package.json'))).version;
// --save DIR keeps each page's full Lighthouse report (JSON) for reading.
const saveDir = opt('--save', null);
const rows = [];
let below = false;
try {
  for (const [label, rel] of PAGES) {
    const result = await lighthouse(origin + rel, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    const lhr = result.lhr;
    if (saveDir) {
      fs.mkdirSync(saveDir, { recursive: true });
      fs.writeFileSync(path.join(saveDir, `${label.replace(/\W+/g, '-')}.json`), JSON.stringify(lhr, null, 1));
    }
    const score = (k) => Math.round((lhr.categories[k]?.score ?? 0) * 100);
    const scores = ['performance', 'accessibility', 'best-practices', 'seo'].map(score);
    const failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
      .map((a) => a.id);
    if (scores.some((s) => s < 100)) below = true;
    rows.push({ label, rel, scores, lcp: lhr.audits['largest-contentful-paint']?.displayValue, failing });
    console.log(`${label.padEnd(9)} /${rel}: ${scores.join(' / ')}  LCP ${lhr.audits['largest-contentful-paint']?.displayValue}${failing.length ? `  below 1: ${failing.join(', ')}` : ''}`);
  }
} finally {
  await chrome.kill();
  server.close();
  fs.rmSync(work, { recursive: true, force: true });
}
if (args.includes('--markdown')) {
  console.log(`\nLighthouse ${version}, mobile preset (simulated slow 4G, 4× CPU slowdown), Chromium ${execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version']).toString().trim()}, ${os.cpus().length} × ${os.cpus()[0].model}, load ${os.loadavg()[0].toFixed(1)}\n`);
  console.log('| Page | Performance | Accessibility | Best Practices | SEO | LCP |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.label} (\`/${r.rel}\`) | ${r.scores.join(' | ')} | ${r.lcp} |`);
}
process.exit(below ? 1 : 0);
