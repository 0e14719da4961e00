// Exports (issue 4): the "Export ▾" menu downloads the matrix as CSV and JSON (the CLI's shapes),
// the allow graph as a standalone SVG and as a PNG, and a Markdown report for a pull request.
// A scenario from a link is untrusted: exports of a markup-laden scenario carry no markup.
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';

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
  await shot('export-menu');
  await page.keyboard.press('Escape');

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
  // It parses on its own and draws the same labels, with its styles inline.
  const check = await page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      root: root.nodeName,
      error: doc.getElementsByTagName('parsererror').length,
      width: Number(root.getAttribute('width')),
      text: root.textContent ?? '',
      fills: [...root.querySelectorAll('text')].filter((t) => (t as SVGElement).style.fill !== '').length,
    };
  }, text);
  expect(check.root).toBe('svg');
  expect(check.error).toBe(0);
  expect(check.width).toBeGreaterThan(100);
  expect(check.text).toContain('backend');
  expect(check.fills).toBeGreaterThan(0);

  const png = await exportFile(page, 'png');
  expect(png.name).toBe('netpol-graph.png');
  expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.bytes.length).toBeGreaterThan(5000);
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
  expect(compared).toContain('| － denied | backend/api | backend/db | TCP/5432 |');
});

const EVIL_NAME = '<img src=x onerror=alert(1)>';
const EVIL = `apiVersion: v1
kind: Pod
metadata:
  name: "${EVIL_NAME}"
  namespace: evil
  labels:
    app: "<script>alert(1)</script>"
---
apiVersion: v1
kind: Pod
metadata:
  name: "javascript:alert(1)"
  namespace: evil
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: "<svg onload=alert(1)>"
  namespace: evil
spec:
  podSelector:
    matchLabels:
      app: "<script>alert(1)</script>"
  ingress:
    - from: [{podSelector: {}}]
`;

test('exports of a markup-laden scenario carry the names as text, never as markup', async ({ page }) => {
  await openWith(page, EVIL, 'evil');
  const svg = (await exportFile(page, 'svg')).bytes.toString('utf8');
  expect(svg).not.toMatch(/<img|<script|<svg onload|\son[a-z]+=/i);
  expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  const md = (await exportFile(page, 'md')).bytes.toString('utf8');
  expect(md).not.toMatch(/<img|<script|<svg/i);
  expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(md).toContain('&lt;svg onload=alert(1)&gt;');
  const csv = (await exportFile(page, 'csv')).bytes.toString('utf8');
  expect(csv).toContain(`evil/${EVIL_NAME}`);
  const json = JSON.parse((await exportFile(page, 'json')).bytes.toString('utf8'));
  expect(json.endpoints).toContain(`evil/${EVIL_NAME}`);
});
