// Share links, the CSP and lint in the page (issues 4 and 6): a link copied in one page opens
// the same scenario, flow and view in a fresh browser context; a tampered link shows an error
// and keeps the local scenario; a link full of markup is shown as text and runs nothing; no
// request ever leaves the page's origin; lint findings appear and go away as the text changes.
import type { Browser, Page } from '@playwright/test';
import { test, expect } from '../fixtures';

const editor = (page: Page) => page.getByTestId('editor');

async function open(page: Page, url = '/') {
  await page.goto(url);
  await expect(editor(page)).toBeVisible();
  await expect(page.getByTestId('inspector')).toBeVisible();
}

async function pickPreset(page: Page, id: string) {
  await page.getByRole('button', { name: /Presets/ }).click();
  await page.locator(`[data-testid="preset-item"][data-id="${id}"]`).click();
  await expect(page.getByTestId('preset-menu')).toBeHidden();
}

/** Opens the share popover and returns the link it shows (also what went to the clipboard). */
async function copyLink(page: Page): Promise<string> {
  await page.getByTestId('copy-link').click();
  const field = page.getByTestId('share-link');
  await expect(field).toBeVisible();
  await expect(page.getByTestId('share-popover')).toContainText(/copied|Ctrl\+C/);
  return field.inputValue();
}

/** A page in a brand-new context: empty localStorage, nothing shared with the first page. */
async function freshPage(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { context, page, errors };
}

test('a copied link reopens the same scenario, flow and view in a fresh browser', async ({
  page,
  browser,
  baseURL,
  context,
  shot,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await pickPreset(page, 'or-vs-and');
  await page.getByRole('tab', { name: 'Matrix' }).click();
  const text = await editor(page).inputValue();
  const link = await copyLink(page);
  expect(link).toMatch(/#v1\.[A-Za-z0-9_-]+$/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await shot('share-popover');

  const fresh = await freshPage(browser, baseURL);
  await open(fresh.page, link);
  await expect(editor(fresh.page)).toHaveValue(text);
  await expect(fresh.page.getByTestId('shared-banner')).toBeVisible();
  await expect(fresh.page.getByTestId('matrix')).toBeVisible();
  await expect(fresh.page.getByLabel(/^Source/)).toHaveValue('alice/web');
  await expect(fresh.page.getByLabel(/^Destination/)).toHaveValue('or-demo/db');
  await expect(fresh.page.getByTestId('verdict').first()).toBeVisible();
  // Viewing a shared scenario does not overwrite the (here: absent) local one.
  expect(await fresh.page.evaluate(() => localStorage.getItem('netpol-playground.scenario.v1'))).toBeNull();
  expect(fresh.errors).toEqual([]);
  await fresh.context.close();
});

test('back and forward move between opened shared states; back to my scenario restores it', async ({ page }) => {
  await open(page);
  const mine = await editor(page).inputValue();
  await pickPreset(page, 'dns-forgotten');
  const dnsLink = await copyLink(page);
  await page.getByTestId('share-popover').getByRole('button', { name: 'Close' }).click();
  await pickPreset(page, 'named-ports');
  const namedLink = await copyLink(page);
  await page.getByTestId('share-popover').getByRole('button', { name: 'Close' }).click();
  // Make the default scenario the user's own again.
  await pickPreset(page, 'default-allow');
  const own = await editor(page).inputValue();
  await page.waitForTimeout(400);

  await page.goto(dnsLink);
  await expect(editor(page)).toHaveValue(/forgotten DNS egress/);
  await page.goto(namedLink);
  await expect(editor(page)).toHaveValue(/named/i);
  await page.goBack();
  await expect(editor(page)).toHaveValue(/forgotten DNS egress/);
  await page.goForward();
  await expect(editor(page)).not.toHaveValue(/forgotten DNS egress/);
  await page.getByTestId('back-to-mine').click();
  await expect(editor(page)).toHaveValue(own);
  await expect(page.getByTestId('shared-banner')).toHaveCount(0);
  expect(mine.length).toBeGreaterThan(0);
});

test('a tampered link shows the reason and keeps the local scenario', async ({ page, shot }) => {
  await open(page);
  await pickPreset(page, 'or-vs-and');
  const mine = await editor(page).inputValue();
  const link = await copyLink(page);
  await page.waitForTimeout(400);
  // Flip characters in the middle of the payload: base64 still valid, the checksum is not.
  const cut = link.length - 20;
  const flipped = link.slice(0, cut) + (link[cut] === 'A' ? 'B' : 'A') + (link[cut + 1] === 'A' ? 'B' : 'A') + link.slice(cut + 2);
  for (const bad of [flipped, link.slice(0, link.length - 15), link.replace('#v1.', '#v9.'), '/#garbage!!']) {
    await page.goto('about:blank');
    await open(page, bad);
    await expect(page.getByTestId('share-error')).toBeVisible();
    await expect(page.getByTestId('share-error')).toContainText(/could not be opened/);
    await expect(editor(page)).toHaveValue(mine);
    await expect(page.getByTestId('shared-banner')).toHaveCount(0);
  }
  await shot('share-tampered');
});

const EVIL = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '<svg onload=alert(1)>',
];

const evilScenario = `# ${EVIL.join(' ')}
apiVersion: v1
kind: Namespace
metadata:
  name: evil
  labels:
    note: "${EVIL[0]}"
---
apiVersion: v1
kind: Pod
metadata:
  name: "${EVIL[1]}"
  namespace: evil
  labels:
    app: "${EVIL[2]}"
---
apiVersion: v1
kind: Pod
metadata:
  name: "${EVIL[3]}"
  namespace: evil
  labels:
    app: b
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: "${EVIL[0]}"
  namespace: evil
spec:
  podSelector:
    matchLabels:
      app: b
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: "${EVIL[2]}"
`;

test('a link full of markup is shown as text everywhere and runs nothing', async ({ page, browser, baseURL }) => {
  await open(page);
  await editor(page).fill(evilScenario);
  await page.waitForTimeout(400);
  const link = await copyLink(page);

  const fresh = await freshPage(browser, baseURL);
  const p = fresh.page;
  await open(p, link);
  await expect(editor(p)).toHaveValue(evilScenario);
  // Graph labels.
  await expect(p.getByTestId('allow-graph')).toContainText('evil');
  // The inspector quotes what the user typed as text.
  await p.getByLabel(/^Source/).fill(`evil/${EVIL[1]}`);
  await p.getByLabel(/^Source/).press('Enter');
  await expect(p.getByTestId('inspector')).toContainText(EVIL[1]);
  // Matrix headers.
  await p.getByRole('tab', { name: 'Matrix' }).click();
  await expect(p.getByTestId('matrix')).toContainText('evil');
  await p.waitForTimeout(300);
  // Nothing was parsed as markup.
  const injected = await p.evaluate(() => ({
    scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    handlers: [...document.querySelectorAll('*')].filter((e) =>
      [...e.attributes].some((a) => a.name.startsWith('on') || a.value.trim().startsWith('javascript:')),
    ).length,
    evilSvg: document.querySelectorAll('svg[onload]').length,
  }));
  expect(injected).toEqual({ scripts: 0, imgs: 0, handlers: 0, evilSvg: 0 });
  expect(fresh.errors).toEqual([]);
  await fresh.context.close();
});

test('no request leaves the page origin while working through the main flows', async ({ page, network, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await editor(page).click();
  await page.keyboard.press('End');
  await page.keyboard.type('\n# a comment');
  await pickPreset(page, 'three-tier');
  await page.getByRole('tab', { name: 'Matrix' }).click();
  await page.getByTestId('matrix-cell').first().click();
  await page.getByRole('button', { name: /Expand inspector/ }).click();
  await copyLink(page);
  await page.getByTestId('share-popover').getByRole('button', { name: 'Close' }).click();
  await page.waitForTimeout(500);
  expect(network.requests.length).toBeGreaterThan(0);
  expect(network.foreign()).toEqual([]);
});

test('the page runs under its Content-Security-Policy with no inline script', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await open(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(await page.evaluate(() => [...document.querySelectorAll('script')].filter((s) => !s.src).length)).toBe(0);
  await pickPreset(page, 'three-tier');
  await page.getByRole('tab', { name: 'Matrix' }).click();
  expect(violations).toEqual([]);
});

test('lint: the forgotten DNS egress is flagged and goes away when the DNS rule is typed', async ({ page, shot }) => {
  await open(page);
  await pickPreset(page, 'dns-forgotten');
  const np001 = page.locator('[data-testid="lint-item"][data-id="NP001"]');
  await expect(np001.first()).toBeVisible();
  await expect(page.getByTestId('lint-count')).not.toHaveText('0');
  await np001.first().locator('button').click();
  await expect(page.getByTestId('highlight-line').first()).toBeAttached();

  // "Why it matters" fetches the rule's paragraph (core/lint-rules/NP001.txt) on first open, and it
  // stays open while the list is written again.
  await np001.first().getByTestId('lint-why').click();
  const why = np001.first().getByTestId('lint-why-text');
  await expect(why).toBeVisible();
  await expect(why).toContainText('kube-dns');
  await expect(why).toContainText('UDP port 53');
  await shot('lint-panel');

  await editor(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(`
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: production
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
`);
  await expect(np001).toHaveCount(0);
});

test('importing a file adds its documents: its pod appears in the matrix', async ({ page }) => {
  await open(page);
  const before = await editor(page).inputValue();
  await page.getByTestId('import-file').setInputFiles([
    {
      name: 'extra.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: imported-pod\n  namespace: imported\n  labels:\n    app: imported\n',
      ),
    },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('kind: Pod\nmetadata: {name: ignored}\n') },
  ]);
  await expect(editor(page)).toHaveValue(/name: imported-pod/);
  const after = await editor(page).inputValue();
  expect(after.startsWith(before.trimEnd())).toBe(true);
  expect(after).toContain('---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: imported-pod');
  expect(after).not.toContain('ignored');
  await page.getByRole('tab', { name: 'Matrix' }).click();
  await expect(page.getByTestId('matrix')).toContainText('imported-pod');
});
