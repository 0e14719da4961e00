// Scenarios fetched on demand (issue 3's size budget, web/src/content.rs): the page embeds only the
// default preset; every other preset's and lesson's scenario is a file next to the page
// (dist/presets/*.yaml, dist/lessons/*.yaml), fetched on first use with a visible loading state, kept
// for the visit, and refused with a clear message (editor untouched) when the host cannot serve it.
// Screenshots: target/e2e-screenshots/content-*.png.
import type { Page, Route } from '@playwright/test';
import { test, expect } from '../fixtures';

const editor = (page: Page) => page.getByTestId('editor');
const item = (page: Page, id: string) => page.locator(`[data-testid="preset-item"][data-id="${id}"]`);

async function open(page: Page) {
  await page.goto('/');
  await expect(editor(page)).toBeVisible();
  await expect(page.getByTestId('allow-graph')).toBeVisible();
}

async function openMenu(page: Page) {
  await page.getByRole('button', { name: /Presets/ }).click();
  await expect(page.getByTestId('preset-menu')).toBeVisible();
}

/** Holds every request to `pattern` until the returned function is called. */
async function hold(page: Page, pattern: string): Promise<() => void> {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(pattern, async (route: Route) => {
    await gate;
    await route.continue();
  });
  return release;
}

// The 404s below are what the test provokes; Chromium logs each as a console error.
test.use({ allowedConsoleErrors: [/Failed to load resource/] });

test('first paint needs no fetch: the default scenario is embedded', async ({ page, network }) => {
  await open(page);
  await expect(editor(page)).toHaveValue(/name: shop/);
  const fetched = network.requests.filter((r) => /\/(presets|lessons)\//.test(r.url));
  expect(fetched).toEqual([]);
});

test('a preset is fetched on first use with a loading state', async ({ page, shot }) => {
  await open(page);
  const before = await editor(page).inputValue();
  const release = await hold(page, '**/presets/or-vs-and.yaml');
  await openMenu(page);
  await item(page, 'or-vs-and').click();
  await expect(item(page, 'or-vs-and')).toHaveAttribute('aria-busy', 'true');
  await expect(page.getByTestId('preset-loading')).toBeVisible();
  await expect(page.getByTestId('preset-menu')).toHaveAttribute('aria-busy', 'true');
  await shot('content-preset-loading');
  expect(await editor(page).inputValue()).toBe(before);

  release();
  await expect(page.getByTestId('preset-menu')).toBeHidden();
  await expect(editor(page)).toHaveValue(/name: or-demo/);
  await expect(page.getByLabel('What this preset teaches')).toContainText('OR vs AND');
  // The paragraph is not in the wasm either: it came with the scenario (presets/<id>.txt).
  await expect(page.getByLabel('What this preset teaches')).toContainText('Both policies use the same two selectors');
  await shot('content-preset-loaded');
  // Loading a fetched preset is still an undoable edit.
  await page.getByRole('button', { name: 'Undo' }).click();
  expect(await editor(page).inputValue()).toBe(before);
});

test('a fetched preset is kept for the visit: picked again, it is not fetched again', async ({ page, network }) => {
  await open(page);
  for (const id of ['or-vs-and', 'default-allow', 'or-vs-and']) {
    await openMenu(page);
    await item(page, id).click();
    await expect(page.getByTestId('preset-menu')).toBeHidden();
  }
  await expect(editor(page)).toHaveValue(/name: or-demo/);
  const asked = network.requests.filter((r) => r.url.endsWith('/presets/or-vs-and.yaml'));
  expect(asked.length).toBe(1);
  const paragraph = network.requests.filter((r) => r.url.endsWith('/presets/or-vs-and.txt'));
  expect(paragraph.length).toBe(1);
});

test('a preset whose paragraph the host cannot serve still loads, with its one-line summary', async ({ page }) => {
  await open(page);
  await page.route('**/presets/ipblock-except.txt', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await openMenu(page);
  await item(page, 'ipblock-except').click();
  await expect(page.getByTestId('preset-menu')).toBeHidden();
  await expect(editor(page)).toHaveValue(/except/);
  await expect(page.getByLabel('What this preset teaches')).toContainText(
    'Admit an address range minus a hole, alongside pod and namespace peers.',
  );
});

test('a preset the host cannot serve is refused with a reason, and the editor is untouched', async ({ page, shot }) => {
  await open(page);
  const before = await editor(page).inputValue();
  await page.route('**/presets/named-ports.yaml', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await openMenu(page);
  await item(page, 'named-ports').click();
  const error = page.getByTestId('preset-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('“Named ports” could not be loaded');
  await expect(error).toContainText('presets/named-ports.yaml');
  await expect(error).toContainText('HTTP 404');
  await expect(error).toContainText('Your scenario is unchanged');
  await expect(page.getByTestId('preset-menu')).toBeVisible();
  expect(await editor(page).inputValue()).toBe(before);
  await shot('content-preset-error');

  // A host that answers every path with its own HTML page: the core's parser refuses it.
  await page.unroute('**/presets/named-ports.yaml');
  await page.route('**/presets/named-ports.yaml', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html><body>Welcome</body></html>' }),
  );
  await item(page, 'named-ports').click();
  await expect(error).toContainText('is not the scenario');
  expect(await editor(page).inputValue()).toBe(before);

  // Once the host serves it, picking it again works.
  await page.unroute('**/presets/named-ports.yaml');
  await item(page, 'named-ports').click();
  await expect(page.getByTestId('preset-menu')).toBeHidden();
  await expect(editor(page)).toHaveValue(/api-legacy/);
});

test("a lint rule's paragraph the host cannot serve is explained, and opening it again retries", async ({ page }) => {
  await open(page);
  await page.route('**/lint-rules/NP001.txt', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await openMenu(page);
  await item(page, 'dns-forgotten').click();
  const finding = page.locator('[data-testid="lint-item"][data-id="NP001"]').first();
  await finding.getByTestId('lint-why').click();
  const why = finding.getByTestId('lint-why-text');
  await expect(why).toBeVisible();
  await expect(why).toContainText('Could not fetch lint-rules/NP001.txt');
  await expect(why).toContainText('HTTP 404');

  await page.unroute('**/lint-rules/NP001.txt');
  await finding.getByTestId('lint-why').click(); // closes
  await finding.getByTestId('lint-why').click(); // opens, and fetches again
  await expect(why).toContainText('kube-dns');
  await expect(why).toBeVisible();
});

test('a lesson fetches its scenario as it opens, with a loading state', async ({ page, shot }) => {
  await open(page);
  const release = await hold(page, '**/lessons/ports.yaml');
  await page.getByTestId('learn-open').click();
  await page.locator('[data-testid="learn-item"][data-id="ports"]').click();
  const load = page.getByTestId('learn-load');
  await expect(load).toBeDisabled();
  await expect(load).toHaveText('Loading the scenario…');
  const lesson = page.getByTestId('learn-lesson');
  await expect(lesson).toContainText('Loading the lesson…');
  await shot('content-lesson-loading');
  release();
  await expect(load).toBeEnabled();
  await expect(load).toHaveText("Load the lesson's scenario");
  // The prose is not in the wasm either: it came with the scenario (lessons/<id>.txt).
  await expect(lesson).toContainText('A rule can limit the ports it allows.');
  await expect(lesson).not.toContainText('Loading the lesson…');
  await load.click();
  await expect(editor(page)).toHaveValue(/endPort/);
  await page.getByTestId('predict-allowed').click();
  await expect(page.getByTestId('learn-reveal')).toBeVisible();
});

test('a lesson whose scenario the host cannot serve says so and can be retried', async ({ page, shot }) => {
  await open(page);
  await page.route('**/lessons/dns-egress.yaml', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.getByTestId('learn-open').click();
  await page.locator('[data-testid="learn-item"][data-id="dns-egress"]').click();
  const load = page.getByTestId('learn-load');
  const error = page.getByTestId('learn-load-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('lessons/dns-egress.yaml');
  await expect(error).toContainText('HTTP 404');
  await expect(load).toBeDisabled();
  await shot('content-lesson-error');
  await page.unroute('**/lessons/dns-egress.yaml');
  await page.getByTestId('learn-retry').click();
  await expect(error).toBeHidden();
  await expect(load).toBeEnabled();
  await load.click();
  await expect(editor(page)).toHaveValue(/kube-dns|kube-system/);
});

test("a lesson whose text the host answers with its HTML page says so, and the scenario stays out", async ({ page }) => {
  await open(page);
  // A static host that serves index.html for every unknown path.
  await page.route('**/lessons/or-vs-and.txt', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html><body>app</body></html>' }),
  );
  await page.getByTestId('learn-open').click();
  await page.locator('[data-testid="learn-item"][data-id="or-vs-and"]').click();
  const error = page.getByTestId('learn-load-error');
  await expect(error).toContainText("lessons/or-vs-and.txt is not the lesson's text: it has no [intro].");
  await expect(page.getByTestId('learn-load')).toBeDisabled();
  await page.unroute('**/lessons/or-vs-and.txt');
  await page.getByTestId('learn-retry').click();
  await expect(page.getByTestId('learn-load')).toBeEnabled();
  await expect(page.getByTestId('learn-lesson')).toContainText('In YAML the difference is a single dash.');
});
