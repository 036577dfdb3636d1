// Every page of the built demo portal is valid HTML, by the W3C Nu Html
// Checker (npm's vnu-jar, run with the machine's Java): what a static host
// serves, built with `tsunagu build` exactly as it is published.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repo, tsunaguBinary } from './lib.mjs';

test('the Nu Html Checker finds no error on any page of the demo', () => {
  const require = createRequire(import.meta.url);
  const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagu-vnu-'));
  try {
    const out = path.join(dir, 'public');
    execFileSync(process.env.TSUNAGU_BIN ?? tsunaguBinary(), ['build', '--quiet', '--root', repo, '--out', out], {
      env: { ...process.env, SOURCE_DATE_EPOCH: '1795219200', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const pages = fs.readdirSync(out, { recursive: true }).filter((f) => f.endsWith('.html'));
    assert.ok(pages.length > 0, 'the build wrote no pages');
    // --exit-zero-always: the JSON report (on standard error) says what is
    // wrong; a non-zero exit would only hide it.
    const run = spawnSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', '--exit-zero-always', out], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error || run.status !== 0) {
      throw new Error(`could not run the Nu checker (java -jar ${jar}): ${run.error?.message ?? run.stderr}`);
    }
    const report = run.stderr;
    const messages = JSON.parse(report || '{"messages":[]}').messages;
    const errors = messages
      .filter((m) => m.type === 'error' || m.subType === 'fatal')
      .map((m) => `${path.relative(out, new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`);
    assert.deepEqual(errors, [], `${errors.length} validator errors in ${pages.length} pages`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
