// Playwright drives Debian's /usr/bin/chromium (this machine cannot download Playwright's own
// browser builds) against the release build in ../dist, served by fixtures/static-server.mjs.
// `cargo xtask test` / `cargo xtask e2e` build dist/ first and pick a free port (E2E_PORT).
import { defineConfig } from '@playwright/test';
import path from 'node:path';

const port = Number(process.env.E2E_PORT || 4173);
const baseURL = `http://127.0.0.1:${port}`;
const repoRoot = path.resolve(__dirname, '..');
// E2E_DIST points the suite at another build of the page (default: the repository's dist/).
const distDir = process.env.E2E_DIST ? path.resolve(process.env.E2E_DIST) : path.join(repoRoot, 'dist');

export default defineConfig({
  testDir: './tests',
  // Traces and failure screenshots; the named screenshots of fixtures' `shot` go to
  // target/e2e-screenshots/.
  outputDir: path.join(repoRoot, 'target', 'e2e-results'),
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // The page is deterministic and local: a flaky test is a bug to fix, not to retry.
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // The timing specs (key waits while a 2,000- or 20,000-pod cluster evaluates) measure how long the
  // page's main thread is busy, which a second Chromium evaluating the other big cluster on the same
  // 2 cores distorts (a CI run failed on one 647 ms key wait while huge.spec ran alongside perf.spec).
  // They never run at the same time as each other; the functional specs share the other worker.
  projects: [
    { name: 'functional', testIgnore: /(perf|huge)\.spec\.ts$/ },
    { name: 'timing', testMatch: /(perf|huge)\.spec\.ts$/, workers: 1 },
  ],
  webServer: {
    command: `node fixtures/static-server.mjs --root ${JSON.stringify(distDir)} --port ${port}`,
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
