// Shared helpers for the browser tests: start `tsunagu serve` on a free
// loopback port and launch Debian's Chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `TSUNAGU_BIN`, else the most recently built of target/{debug,release}. */
export function tsunaguBinary() {
  if (process.env.TSUNAGU_BIN) return process.env.TSUNAGU_BIN;
  const built = ['release', 'debug']
    .map((profile) => path.join(repo, 'target', profile, 'tsunagu'))
    .filter((p) => fs.existsSync(p))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (built.length === 0) throw new Error('build tsunagu first: cargo build');
  return built[0];
}

/** Starts `tsunagu serve --port 0` and resolves with { url, stop }. */
export function serve(root = repo, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(tsunaguBinary(), ['serve', '--root', root, '--port', '0', ...extraArgs], {
      env: { ...process.env, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? '1795219200', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`tsunagu serve did not start:\n${stderr}`)), 60_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = stderr.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child, stop: () => child.kill('SIGTERM'), stderr: () => stderr });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tsunagu serve exited with ${code}:\n${stderr}`));
    });
  });
}

/** Headless Chromium with the flags this closed network needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Records every request a page makes that does not go to `origin`: the
 * portal must never contact another host.
 */
export function watchForeignRequests(page, origin) {
  const foreign = [];
  page.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  return foreign;
}

/**
 * Waits for the result list: at least `atLeast` results, the engine
 * ready (search.js marks `data-engine="ready"` once both index tiers are
 * open; results are only shown then), and the list unchanged for a
 * moment (typing may still be debounced).
 */
export async function waitForResults(page, atLeast = 1) {
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('#ts-results li').length >= n &&
      document.querySelector('[data-tsunagu-search]')?.getAttribute('data-engine') === 'ready',
    atLeast,
    { timeout: 20_000 },
  );
  let last = '';
  for (let i = 0; i < 50; i++) {
    const now = await page.$eval('#ts-results', (ol) => ol.textContent);
    if (now === last) return;
    last = now;
    await page.waitForTimeout(150);
  }
}

/**
 * The bench's generated portal of `n` entries (examples/bench/gen.rs, the
 * same corpus docs/benchmarks.md measures), written once into the system's
 * temporary folder and reused. Uses the bench example `cargo test` built
 * (target/debug/examples/bench), or `cargo run --example bench` when it is
 * missing. Resolves with the portal's folder.
 */
export function generatedPortal(n) {
  const work = path.join(os.tmpdir(), 'tsunagu-test-portals');
  const args = ['--generate-only', '--sizes', String(n), '--work', work];
  const built = ['debug', 'release']
    .map((profile) => path.join(repo, 'target', profile, 'examples', 'bench'))
    .filter((p) => fs.existsSync(p))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  const out = built
    ? execFileSync(built, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    : execFileSync('cargo', ['run', '--quiet', '--example', 'bench', '--', ...args], {
        cwd: repo,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
  return out.trim().split('\n').pop();
}
