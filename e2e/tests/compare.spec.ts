// Compare mode (issue 4): a second, "after" version of the scenario in its own editor; the flows
// whose verdict changes are listed (newly allowed / newly denied, with their probe), each with
// both explanations side by side; picking one selects it in the main inspector; a share link
// carries the after text and reopens compare mode.
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';

// The CLI's shop fixture: only backend/api may reach backend/db on TCP/5432.
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
metadata: {name: db-from-api, namespace: backend}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from:
        - podSelector: {matchLabels: {app: api}}
      ports: [{protocol: TCP, port: 5432}]
`;

const mainEditor = (page: Page) => page.locator('.editor-pane').getByTestId('editor');
const afterEditor = (page: Page) => page.getByTestId('compare-editor').getByTestId('editor');

async function openWith(page: Page, text: string) {
  await page.goto('/');
  await expect(mainEditor(page)).toBeVisible();
  await mainEditor(page).fill(text);
  await expect(page.getByTestId('allow-graph')).toContainText('backend');
}

/** Opens compare mode and changes db-from-api's peer from app=api to app=web in the after version. */
async function editAfter(page: Page) {
  await page.getByTestId('tab-compare').click();
  await expect(afterEditor(page)).toHaveValue(SHOP);
  await expect(page.getByTestId('no-change')).toBeVisible();
  const after = SHOP.replace('{matchLabels: {app: api}}', '{matchLabels: {app: web}}');
  await afterEditor(page).fill(after);
  return after;
}

test('an edit in the after version lists the changed flow with both explanations', async ({ page, shot }) => {
  await openWith(page, SHOP);
  await editAfter(page);
  const flows = page.getByTestId('changed-flow');
  await expect(flows).toHaveCount(1);
  const flow = flows.first();
  await expect(flow).toHaveAttribute('data-kind', 'denied');
  await expect(flow).toContainText('backend/api');
  await expect(flow).toContainText('backend/db');
  await expect(flow).toContainText('TCP/5432');
  await expect(page.getByTestId('compare-count')).toHaveText('+0 −1');
  await expect(page.getByTestId('changes-omitted')).toHaveCount(0);
  await shot('compare-list');

  await flow.click();
  await expect(flow).toHaveAttribute('aria-pressed', 'true');
  const before = page.getByTestId('compare-before');
  const after = page.getByTestId('compare-after');
  await expect(before.getByTestId('verdict')).toHaveAttribute('data-allowed', 'true');
  await expect(after.getByTestId('verdict')).toHaveAttribute('data-allowed', 'false');
  await expect(before).toContainText('db-from-api');
  await expect(after).toContainText('db-from-api');
  // The main inspector shows the same flow (in the before version).
  await expect(page.getByLabel(/^Source/)).toHaveValue('backend/api');
  await expect(page.getByLabel(/^Destination/)).toHaveValue('backend/db');
  await expect(page.getByLabel(/^Protocol and port/)).toHaveValue('TCP/5432');
  await shot('compare-changed-flow');

  // Undoing the edit in the after version clears the list and the selection.
  await afterEditor(page).fill(SHOP);
  await expect(page.getByTestId('no-change')).toBeVisible();
  await expect(page.getByTestId('compare-explain')).toBeHidden();
  await expect(page.getByTestId('compare-count')).toHaveCount(0);

  // Newly allowed flows: an allow-all for db opens frontend/web → db on both probes and
  // backend/api → db on TCP/8080 (api → db on 5432 and db → db were allowed already).
  const allowAll = `${SHOP}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-open, namespace: backend}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{}]
`;
  await afterEditor(page).fill(allowAll);
  await expect(page.locator('[data-testid=changed-flow][data-kind=allowed]')).toHaveCount(3);
  await expect(page.getByTestId('compare-count')).toHaveText('+3 −0');
  await expect(page.locator('[data-testid=changed-flow][data-kind=allowed]').first()).toContainText('frontend/web');

  // Leaving compare mode hides the panel; the graph is back.
  await page.getByTestId('compare-close').click();
  await expect(page.getByTestId('compare-panel')).toHaveCount(0);
  await expect(page.getByTestId('allow-graph')).toBeVisible();
});

test('a share link carries the after version and reopens compare mode', async ({ page, browser, baseURL }) => {
  await openWith(page, SHOP);
  const after = await editAfter(page);
  await expect(page.getByTestId('changed-flow')).toHaveCount(1);
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();

  const context = await browser.newContext({ baseURL });
  const fresh = await context.newPage();
  const errors: string[] = [];
  fresh.on('pageerror', (e) => errors.push(e.message));
  fresh.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await fresh.goto(link);
  await expect(mainEditor(fresh)).toHaveValue(SHOP);
  await expect(fresh.getByTestId('tab-compare')).toHaveAttribute('aria-selected', 'true');
  await expect(afterEditor(fresh)).toHaveValue(after);
  await expect(fresh.getByTestId('changed-flow')).toHaveCount(1);
  await expect(fresh.getByTestId('changed-flow')).toContainText('backend/api');
  expect(errors).toEqual([]);
  await context.close();

  // Without compare mode the link carries no after text.
  await page.getByTestId('share-popover').getByLabel('Close').click();
  await page.getByTestId('compare-close').click();
  await page.getByTestId('copy-link').click();
  const plain = await page.getByTestId('share-link').inputValue();
  const again = await browser.newContext({ baseURL });
  const p = await again.newPage();
  await p.goto(plain);
  await expect(mainEditor(p)).toHaveValue(SHOP);
  await expect(p.getByTestId('tab-compare')).toHaveAttribute('aria-selected', 'false');
  await expect(p.getByTestId('compare-panel')).toHaveCount(0);
  await again.close();
});
