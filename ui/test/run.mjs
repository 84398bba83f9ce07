// Unit tests of the UI's pure logic (src/model.ts): esbuild compiles each test/*.test.ts to a temp folder and node's
// own test runner runs them (node 20 cannot load TypeScript by itself).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const here = new URL('.', import.meta.url).pathname;
const entries = readdirSync(here).filter(f => f.endsWith('.test.ts')).map(f => join(here, f));
const out = mkdtempSync(join(tmpdir(), 'gitops-ui-test-'));
try {
  await build({ entryPoints: entries, bundle: true, platform: 'node', format: 'esm', outdir: out, outExtension: { '.js': '.mjs' }, logLevel: 'error' });
  const files = readdirSync(out).map(f => join(out, f));
  const run = spawnSync(process.execPath, ['--test', ...files], { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
