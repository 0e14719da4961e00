// Smoke test of the built page: it loads from the static host alone, boots its wasm, shows the
// title its index.html declares, logs no error, and is photographed for people to look at.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, DIST_DIR } from '../fixtures';

/** The <title> of the built index.html, so this test follows whatever the page calls itself. */
function declaredTitle(): string {
  const html = fs.readFileSync(path.join(DIST_DIR, 'index.html'), 'utf8');
  const match = /<title>([^<]*)<\/title>/i.exec(html);
  const title = match?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim();
  if (!title) throw new Error('dist/index.html declares no non-empty <title>');
  return title;
}

test('the page loads, boots its wasm, has its title and logs no error', async ({ page, network, shot }) => {
  const title = declaredTitle();
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(title);

  // Booted: the wasm module was fetched successfully and nothing is still loading.
  await page.waitForLoadState('networkidle');
  const wasm = network.requests.filter((r) => new URL(r.url).pathname.endsWith('.wasm'));
  expect(wasm.length, 'the page fetches its wasm module').toBeGreaterThan(0);
  for (const r of wasm) expect(r.status, r.url).toBe(200);

  // Something a person can read was rendered (not a blank page).
  await expect(page.locator('body')).toContainText(/\S/);

  // A static page: nothing but its own files is requested.
  expect(network.foreign()).toEqual([]);
  const failed = network.requests.filter((r) => r.failure !== undefined || (r.status ?? 0) >= 400);
  expect(failed).toEqual([]);

  await shot('smoke-desktop');
});
