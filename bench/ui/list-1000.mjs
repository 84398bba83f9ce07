// Benchmark: the web UI's applications list with 1000 apps while 50 updates/s stream in. The built UI (ui/dist) is
// served by a stand-in for the controller's JSON API (this measures the browser side only), and Debian's chromium,
// driven by playwright-core from ui/node_modules, measures: first render of the list, search latency (keystroke to
// filtered table), a jump to the end of the list, and the worst frame gap while updates stream; it also counts the
// table rows in the DOM (the list is windowed) and fails on any console error, such as a Content-Security-Policy
// violation (the stand-in sends the controller's policy). Run: `npm --prefix ui run build && node bench/ui/list-1000.mjs`.
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = fileURLToPath(new URL('../../ui/', import.meta.url));
const { chromium } = createRequire(join(ui, 'package.json'))('playwright-core');
const COUNT = 1000;
const app = i => ({
  name: `app-${String(i).padStart(4, '0')}`,
  source: { repoUrl: 'https://git.example/platform.git', targetRevision: 'main', path: `apps/${i}` },
  destination: { namespace: `team-${i % 40}` },
  syncStatus: i % 7 ? 'SYNC_STATUS_SYNCED' : 'SYNC_STATUS_OUT_OF_SYNC',
  healthStatus: i % 11 ? 'HEALTH_STATUS_HEALTHY' : 'HEALTH_STATUS_DEGRADED',
  revision: { sha: 'c0ffee'.padEnd(40, '0') },
  lastSyncedAt: new Date().toISOString(),
});
const apps = Array.from({ length: COUNT }, (_, i) => app(i));
// The controller's policy (src/GitOps.Controller/Ui/WebUi.cs), so a style or script it would refuse fails the run here.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/api/v1/session/userinfo') return res.end(JSON.stringify({ subject: 'bench', role: 'ROLE_ADMIN', allApps: true }));
  if (url.pathname === '/api/v1/applications') return res.end(JSON.stringify({ applications: apps }));
  if (url.pathname === '/api/v1/stream/applications') {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const a of apps) res.write(JSON.stringify(a) + '\n');
    let n = 0;
    const timer = setInterval(() => {
      const a = apps[(n++ * 37) % COUNT];
      a.revision = { sha: n.toString(16).padStart(40, '0') };
      res.write(JSON.stringify(a) + '\n');
    }, 20);
    req.on('close', () => clearInterval(timer));
    return;
  }
  const file = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
  try {
    const body = readFileSync(join(ui, 'dist', file));
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-security-policy': csp });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const profile = mkdtempSync(join(tmpdir(), 'gitops-ui-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', e => problems.push(e.message));
  // The list shows N apps: the (windowed) table says so, or (an unwindowed build) it has N rows.
  const inDom = () => page.evaluate(() => document.querySelectorAll('[data-testid=app-row]').length);
  let start = Date.now();
  await page.goto(base);
  await page.waitForFunction(n => document.querySelector(`[data-testid=apps][data-shown="${n}"]`)
    || document.querySelectorAll('[data-testid=app-row]').length === n, COUNT, { timeout: 60_000 });
  console.log(`first render of the list of ${COUNT} apps: ${Date.now() - start} ms (${await inDom()} rows in the DOM)`);
  for (const [query, expected] of [['app-09', 100], ['app-099', 10], ['', COUNT]]) {
    start = Date.now();
    await page.getByTestId('search').fill(query);
    await page.waitForFunction(n => document.querySelector(`[data-testid=apps][data-shown="${n}"]`)
      || document.querySelectorAll('[data-testid=app-row]').length === n, expected, { timeout: 60_000 });
    console.log(`search '${query}' → ${expected} apps: ${Date.now() - start} ms (${await inDom()} rows in the DOM)`);
  }
  start = Date.now();
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const last = `app-${String(COUNT - 1).padStart(4, '0')}`;
  await page.locator(`[data-testid=app-row][data-app="${last}"]`).waitFor({ timeout: 60_000 });
  const shown = await page.locator(`[data-testid=app-row][data-app="${last}"]`).isVisible();
  console.log(`jump to the end: ${last} rendered in ${Date.now() - start} ms (visible: ${shown})`);
  await page.evaluate(() => window.scrollTo(0, 0));
  const worst = await page.evaluate(() => new Promise(resolve => {
    let worst = 0;
    let last = performance.now();
    const end = last + 5000;
    const tick = () => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick); else resolve(worst);
    };
    requestAnimationFrame(tick);
  }));
  console.log(`worst frame gap over 5 s of 50 updates/s: ${Math.round(worst)} ms`);
  if (problems.length) throw new Error(`console errors:\n${problems.join('\n')}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  server.close();
}
