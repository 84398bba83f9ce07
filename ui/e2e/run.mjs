// Browser tests of the web UI: Debian's chromium driven by playwright-core against a real controller. Run by the
// xunit tests in tests/GitOps.Ui.Tests, which start the controller and the git repository and pass them here:
//   node e2e/run.mjs SCENARIO   with GITOPS_UI_URL, GITOPS_UI_ADMIN_TOKEN, GITOPS_UI_READONLY_TOKEN, GITOPS_UI_APPROVER_TOKEN, GITOPS_UI_APPS
//   (comma-separated), GITOPS_UI_ARTIFACTS (screenshots), CHROMIUM (default /usr/bin/chromium).
// A step that needs a git commit asks the test on stdout ("@@commit APP VALUE") and reads the new SHA on stdin; one that
// needs a change in the cluster asks "@@act VERB ARG" and reads the test's answer.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { scenarios } from './scenarios.mjs';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const name = process.argv[2];
const scenario = scenarios[name];
if (!scenario) {
  console.error(`unknown scenario '${name}' (${Object.keys(scenarios).join(', ')})`);
  process.exit(2);
}

const artifacts = env('GITOPS_UI_ARTIFACTS', join(process.cwd(), 'e2e', 'artifacts'));
mkdirSync(artifacts, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'gitops-ui-chromium-'));
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

// A new, empty profile per run (Playwright passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? await context.newPage();
const problems = [];
page.on('pageerror', e => problems.push(`page error: ${e.message}`));
// Chromium logs every non-2xx fetch (the 401 of a login probe) as an error; only script errors count.
page.on('console', m => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`); });
// Any dialog the page opens by itself (alert from injected markup) fails the run.
page.on('dialog', d => { problems.push(`unexpected ${d.type()} dialog: ${d.message()}`); void d.dismiss(); });

const t = {
  page,
  url: env('GITOPS_UI_URL'),
  adminToken: env('GITOPS_UI_ADMIN_TOKEN'),
  readOnlyToken: env('GITOPS_UI_READONLY_TOKEN'),
  approverToken: env('GITOPS_UI_APPROVER_TOKEN', ''),
  apps: env('GITOPS_UI_APPS').split(','),
  step: text => console.log(`step: ${text}`),
  async screenshot(file) {
    await page.screenshot({ path: join(artifacts, file), fullPage: true });
    console.log(`screenshot: ${join(artifacts, file)}`);
  },
  /** Asks the test for a commit to APP's settings and returns its SHA. */
  async commit(app, value) {
    console.log(`@@commit ${app} ${value}`);
    const { value: line, done } = await lines.next();
    if (done) throw new Error('the test closed stdin before answering a commit');
    return line.trim();
  },
  /** Asks the test to change something in the cluster (VERB with one argument); returns its answer. */
  async act(verb, arg) {
    console.log(`@@act ${verb} ${arg || '-'}`);
    const { value: line, done } = await lines.next();
    if (done) throw new Error('the test closed stdin before answering');
    return line.trim();
  },
  /** Polls until fn() is truthy (fn may throw meanwhile); fails naming what was awaited. */
  async until(what, fn, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      try {
        const value = await fn();
        if (value) return value;
        last = value;
      } catch (e) {
        last = e instanceof Error ? e.message : e;
      }
      if (Date.now() > deadline) throw new Error(`within ${timeoutMs / 1000} s: ${what} (last: ${JSON.stringify(last)})`);
      await new Promise(r => setTimeout(r, delay));
    }
  },
  check(condition, message) {
    if (!condition) throw new Error(message);
  },
};

let failed = false;
try {
  await scenario(t);
  if (problems.length) throw new Error(problems.join('\n'));
  console.log(`scenario ${name}: passed`);
} catch (e) {
  failed = true;
  console.log(`scenario ${name}: FAILED: ${e instanceof Error ? e.stack : e}`);
  if (problems.length) console.log(problems.join('\n'));
  await page.screenshot({ path: join(artifacts, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
