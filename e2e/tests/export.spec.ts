// Exports (issue 4): the "Export ▾" menu downloads the matrix as CSV and JSON (the CLI's shapes),
// the allow graph as a standalone SVG and as a PNG, and a Markdown report for a pull request.
// A scenario from a link is untrusted: exports of a markup-laden scenario carry no markup.
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import path from 'node:path';
import { test, expect, SCREENSHOT_DIR } from '../fixtures';

const SHOP = `apiVersion: v1
kind: Namespace
metadata: {name: frontend, labels: {team: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: backend, labels: {team: api}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: frontend, labels: {app: web}}
spec: {containers: [{name: web, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: backend, labels: {app: api}}
spec: {containers: [{name: api, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: backend, labels: {app: db}}
spec: {containers: [{name: db, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: backend}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-frontend, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {team: web}}, podSelector: {matchLabels: {app: web}}}]
      ports: [{port: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: backend}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: api}}}]
      ports: [{protocol: TCP, port: 5432}]
`;

const editor = (page: Page) => page.locator('.editor-pane').getByTestId('editor');

async function openWith(page: Page, text: string, marker: string) {
  await page.goto('/');
  await expect(editor(page)).toBeVisible();
  await editor(page).fill(text);
  await expect(page.getByTestId('allow-graph')).toContainText(marker);
}

/** Downloads export `id` and returns its file name and bytes. */
async function exportFile(page: Page, id: string): Promise<{ name: string; bytes: Buffer }> {
  await page.getByTestId('export-menu').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`[data-testid=export-item][data-export=${id}]`).click(),
  ]);
  const file = await download.path();
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) };
}

test('matrix CSV and JSON have the CLI shapes', async ({ page, shot }) => {
  await openWith(page, SHOP, 'backend');
  await page.getByTestId('export-menu').click();
  await expect(page.getByTestId('export-item')).toHaveCount(5);
  await expect(page.locator('[data-testid=export-item][data-export=csv]')).toBeFocused();
  await shot('export-menu');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-item')).toHaveCount(0);

  const csv = await exportFile(page, 'csv');
  expect(csv.name).toBe('netpol-matrix.csv');
  const rows = csv.bytes.toString('utf8').trimEnd().split('\n');
  expect(rows[0]).toBe('probe,from,to,allowed');
  expect(rows).toHaveLength(1 + 2 * 9);
  expect(rows).toContain('TCP/5432,backend/api,backend/db,1');
  expect(rows).toContain('TCP/5432,frontend/web,backend/db,0');
  expect(rows).toContain('TCP/8080,frontend/web,backend/api,1');

  const json = await exportFile(page, 'json');
  expect(json.name).toBe('netpol-matrix.json');
  const doc = JSON.parse(json.bytes.toString('utf8'));
  expect(Object.keys(doc)).toEqual(['endpoints', 'probes', 'allowed']);
  expect(doc.endpoints).toEqual(['frontend/web', 'backend/api', 'backend/db']);
  expect(doc.probes).toEqual(['TCP/5432', 'TCP/8080']);
  expect(doc.allowed).toEqual({ 'TCP/5432': ['100', '111', '101'], 'TCP/8080': ['110', '110', '101'] });
});

test('the graph exports as a standalone SVG and as a PNG', async ({ page, network }) => {
  await openWith(page, SHOP, 'backend');
  const svg = await exportFile(page, 'svg');
  expect(svg.name).toBe('netpol-graph.svg');
  const text = svg.bytes.toString('utf8');
  expect(text.startsWith('<?xml')).toBe(true);
  expect(text).not.toMatch(/<script|<foreignObject|\son[a-z]+=/i);
  expect(text).toContain('style="');
  // It opens on its own (a fresh page, no stylesheet, no CSP) and draws the labels with the
  // page's colours, which it carries inline.
  const standalone = await page.context().newPage();
  await standalone.goto(`data:image/svg+xml;base64,${svg.bytes.toString('base64')}`);
  const check = await standalone.evaluate(() => {
    const root = document.documentElement;
    const label = [...document.querySelectorAll('text')].find((t) => t.textContent === 'db');
    return {
      root: root.nodeName,
      width: Number(root.getAttribute('width')),
      text: root.textContent ?? '',
      labelFill: label ? getComputedStyle(label).fill : 'none',
      scripts: document.querySelectorAll('script').length,
    };
  });
  expect(check.root).toBe('svg');
  expect(check.width).toBeGreaterThan(100);
  expect(check.text).toContain('backend');
  expect(check.scripts).toBe(0);
  // The page's label colour, not the SVG default (black).
  expect(check.labelFill).toMatch(/^rgb/);
  expect(check.labelFill).not.toBe('rgb(0, 0, 0)');
  await standalone.screenshot({ path: path.join(SCREENSHOT_DIR, 'export-standalone-svg.png') });
  await standalone.close();

  const png = await exportFile(page, 'png');
  expect(png.name).toBe('netpol-graph.png');
  expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.bytes.length).toBeGreaterThan(5000);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  fs.writeFileSync(path.join(SCREENSHOT_DIR, 'export-graph.png'), png.bytes);
  // Drawing it fetched nothing.
  expect(network.foreign()).toEqual([]);
});

test('the Markdown report has the summary, the matrix, the warnings and, in compare mode, the changes', async ({
  page,
}) => {
  await openWith(page, SHOP, 'backend');
  const md = (await exportFile(page, 'md')).bytes.toString('utf8');
  expect(md).toContain('## NetworkPolicy report');
  expect(md).toContain('2 namespaces · 3 endpoints · 0 services · 3 NetworkPolicies.');
  expect(md).toContain('| backend/db-from-api | app=db: backend/db | isolates; 1 rule | — |');
  expect(md).toContain('#### TCP/5432: 6 of 9 pairs allowed');
  expect(md).toContain('| 1 | backend/api | ✓ | ✓ | ✓ |');
  expect(md).toContain('### Warnings');
  expect(md).toContain('- **info NP010**');
  expect(md).not.toContain('### Changed flows');

  await page.getByTestId('tab-compare').click();
  const after = page.getByTestId('compare-editor').getByTestId('editor');
  await after.fill(SHOP.replace('{podSelector: {matchLabels: {app: api}}}', '{podSelector: {matchLabels: {app: web}}}'));
  await expect(page.getByTestId('changed-flow')).toHaveCount(1);
  const compared = (await exportFile(page, 'md')).bytes.toString('utf8');
  expect(compared).toContain('### Changed flows');
  expect(compared).toContain('| − denied | backend/api | backend/db | TCP/5432 |');
});

// Names full of markup (as in share.spec.ts's link test; label values must be valid label
// values, so the markup is in the names, which the parser keeps as written).
const EVIL = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '<svg onload=alert(1)>',
];
const EVIL_NAME = EVIL[1];

const EVIL_SCENARIO = `# ${EVIL.join(' ')}
apiVersion: v1
kind: Pod
metadata:
  name: "${EVIL[1]}"
  namespace: evil
  labels:
    app: a
---
apiVersion: v1
kind: Pod
metadata:
  name: "${EVIL[3]}"
  namespace: evil
  labels:
    app: b
---
apiVersion: v1
kind: Pod
metadata:
  name: "${EVIL[2]}"
  namespace: evil
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
              app: a
`;

test('exports of a markup-laden scenario carry the names as text, never as markup', async ({ page }) => {
  await openWith(page, EVIL_SCENARIO, 'evil');
  await expect(page.getByTestId('stale-badge')).toHaveCount(0);
  const svgFile = await exportFile(page, 'svg');
  const svg = svgFile.bytes.toString('utf8');
  expect(svg).not.toMatch(/<img|<script|<svg onload|<foreignObject/i);
  expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(svg).toContain('&lt;svg onload=alert(1)&gt;');
  // Opened on its own, it has no handler, script or outside link: the names are text.
  const standalone = await page.context().newPage();
  await standalone.goto(`data:image/svg+xml;base64,${svgFile.bytes.toString('base64')}`);
  const injected = await standalone.evaluate(() => ({
    scripts: document.querySelectorAll('script, foreignObject, img').length,
    handlers: [...document.querySelectorAll('*')].filter((e) =>
      [...e.attributes].some((a) => a.name.startsWith('on') || (a.name.endsWith('href') && !a.value.startsWith('#'))),
    ).length,
    text: document.documentElement.textContent ?? '',
  }));
  expect(injected.scripts).toBe(0);
  expect(injected.handlers).toBe(0);
  expect(injected.text).toContain(EVIL[1]);
  await standalone.close();
  const md = (await exportFile(page, 'md')).bytes.toString('utf8');
  expect(md).not.toMatch(/<img|<script|<svg/i);
  expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(md).toContain('&lt;svg onload=alert(1)&gt;');
  expect(md).toContain('| evil/&lt;script&gt;alert(1)&lt;/script&gt; |');
  const csv = (await exportFile(page, 'csv')).bytes.toString('utf8');
  expect(csv).toContain(`evil/${EVIL_NAME}`);
  const json = JSON.parse((await exportFile(page, 'json')).bytes.toString('utf8'));
  expect(json.endpoints).toContain(`evil/${EVIL_NAME}`);
});
