// The allow graph's tiers and compare arrows (issues 7 and 4) on the cluster-guardrails preset:
// the tier filter (network-policy-api order Admin → NetworkPolicy → Baseline → default allow)
// changes which arrows are drawn, flows an Admin-tier Deny refuses are drawn as their own labelled
// arrows (⊘, dashed), and compare mode marks newly denied / newly allowed arrows without colour.
import type { Locator, Page } from '@playwright/test';
import path from 'node:path';
import { test, expect, SCREENSHOT_DIR } from '../fixtures';

const graph = (page: Page) => page.getByTestId('allow-graph');
const edges = (page: Page) => graph(page).locator('[data-testid="graph-edge"]');
const denied = (page: Page) => graph(page).locator('[data-testid="graph-edge-denied"]');
const tierButton = (page: Page, label: string) =>
  page.locator(`.graph-tiers button[data-tier="${label}"]`);

/** The graph panel alone, in a tall window, to target/e2e-screenshots/NAME.png. */
async function shotGraph(page: Page, name: string) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1440, height: 1800 });
  await page.getByRole('button', { name: 'Fit the whole graph' }).click();
  await page.locator('.allow-graph').screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
  if (size) await page.setViewportSize(size);
}

async function open(page: Page) {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('/');
  await expect(page.getByTestId('editor')).toBeVisible();
  await expect(graph(page)).toBeVisible();
}

async function pickPreset(page: Page, id: string) {
  await page.getByRole('button', { name: /Presets/ }).click();
  await expect(page.getByTestId('preset-menu')).toBeVisible();
  await page.locator(`[data-testid="preset-item"][data-id="${id}"]`).click();
  await expect(page.getByTestId('preset-menu')).toBeHidden();
}

/** `from → to` of every arrow in `list`. */
async function pairs(list: Locator): Promise<string[]> {
  return list.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')} → ${e.getAttribute('data-to')}`));
}

test('the tier filter changes the arrows and denied-by-admin arrows are labelled', async ({ page, shot }) => {
  await open(page);
  await pickPreset(page, 'cluster-guardrails');
  await expect(graph(page).locator('[data-testid="graph-node"][data-id="sensitive/db"]')).toBeVisible();

  // protect-db (Admin tier, Deny) refuses tenant-a's web → db: its own arrow, named and marked.
  const webToDb = denied(page).and(page.locator('[data-from="tenant-a/web"][data-to="sensitive/db"]'));
  await expect(webToDb).toHaveCount(1);
  await expect(webToDb).toHaveAttribute('aria-label', /denied by admin policy protect-db/);
  await expect(webToDb.locator('.denied-mark')).toHaveCount(1);
  await expect(webToDb.locator('.edge-label text')).toHaveText('⊘ denied by admin protect-db');
  // …and it is not an allowed arrow.
  expect(await pairs(edges(page))).not.toContain('tenant-a/web → sensitive/db');
  await expect(page.locator('.graph-legend')).toContainText('denied by an Admin-tier policy');
  const all = await pairs(edges(page));
  expect(all).toContain('backend/api → sensitive/db');
  expect(all).toContain('tenant-b/worker → backend/api');
  await shot('graph-tiers-all');
  await shotGraph(page, 'graph-tiers-all-panel');

  // Admin: only arrows an Admin-tier policy decided (protect-db accepts backend), plus the denials.
  await tierButton(page, 'Admin').click();
  await expect(tierButton(page, 'Admin')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => pairs(edges(page))).toEqual(['backend/api → sensitive/db']);
  await expect(edges(page).first()).toHaveAttribute('data-tiers', /Admin/);
  await expect(webToDb).toHaveCount(1);
  await expect(page.locator('.graph-status')).toContainText('Tier filter: 1 of');
  await shot('graph-tiers-admin');
  await shotGraph(page, 'graph-tiers-admin-panel');

  // NetworkPolicy: the scrape protect-db passes down and the tenant opening; no denial arrows.
  await tierButton(page, 'NetworkPolicy').click();
  await expect.poll(() => pairs(edges(page))).toContain('monitoring/prometheus → sensitive/db');
  const np = await pairs(edges(page));
  expect(np).toContain('tenant-a/web → tenant-b/web');
  expect(np).not.toContain('backend/api → sensitive/db');
  await expect(denied(page)).toHaveCount(0);

  // Default allow: pods nobody selects; All brings every arrow back.
  await tierButton(page, 'Default allow').click();
  await expect.poll(() => pairs(edges(page))).toContain('tenant-b/worker → backend/api');
  await tierButton(page, 'All').click();
  await expect.poll(() => pairs(edges(page))).toEqual(all);
});

test('without cluster policies the Admin and Baseline filters are off and nothing is denied', async ({ page }) => {
  await open(page);
  await pickPreset(page, 'three-tier');
  await expect(edges(page).first()).toBeVisible();
  await expect(tierButton(page, 'Admin')).toBeDisabled();
  await expect(tierButton(page, 'Baseline')).toBeDisabled();
  await expect(denied(page)).toHaveCount(0);
  const all = await edges(page).count();
  await tierButton(page, 'NetworkPolicy').click();
  await expect(edges(page).first()).toHaveAttribute('data-tiers', /NetworkPolicy/);
  expect(await edges(page).count()).toBeLessThanOrEqual(all);
});

test('compare mode draws newly denied and newly allowed arrows', async ({ page, shot }) => {
  await open(page);
  await pickPreset(page, 'cluster-guardrails');
  const compareTab = page.getByTestId('tab-compare');
  test.skip((await compareTab.count()) === 0, 'compare mode is not in this build');
  await compareTab.click();
  const after = page.getByTestId('compare-editor').locator('textarea');
  await expect(after).toBeVisible();
  const text = await after.inputValue();
  // The change under review: tenant-b opens all its pods to tenant-a, not only web (the last
  // document), and a new policy isolates the api, admitting only monitoring.
  const cut = text.lastIndexOf('\n---');
  expect(cut).toBeGreaterThan(0);
  const opened = text.slice(cut).replace(/podSelector:\n\s+matchLabels:\n\s+app: web/, 'podSelector: {}');
  expect(opened).not.toEqual(text.slice(cut));
  await after.fill(
    text.slice(0, cut) +
      opened +
      '\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-ingress\n' +
      '  namespace: backend\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n' +
      '    - from:\n        - namespaceSelector:\n            matchLabels:\n' +
      '              kubernetes.io/metadata.name: monitoring\n',
  );
  await expect(page.getByTestId('changed-flows')).toContainText('tenant-a/web');

  await page.getByRole('tab', { name: 'Graph' }).click();
  const removed = edges(page).and(page.locator('[data-change="removed"]'));
  const added = edges(page).and(page.locator('[data-change="added"]'));
  // Newly allowed: tenant-a's web may now reach tenant-b's worker (on TCP/8080).
  const toWorker = added.and(page.locator('[data-from="tenant-a/web"][data-to="tenant-b/worker"]'));
  await expect(toWorker).toHaveCount(1);
  await expect(toWorker.locator('.change-badge text')).toHaveText('+');
  await expect(toWorker).toHaveAttribute('aria-label', /newly allowed on TCP\/8080/);
  // Newly denied: the api is isolated, only monitoring still gets in.
  await expect(removed.first().locator('.change-badge text')).toHaveText('−');
  await expect(removed.first()).toHaveAttribute('aria-label', /newly denied/);
  const newlyDenied = await pairs(removed);
  expect(newlyDenied).toContain('tenant-b/worker → backend/api');
  expect(newlyDenied).not.toContain('monitoring/prometheus → backend/api');
  await expect(edges(page).and(page.locator('[data-change="same"]')).first()).toBeVisible();
  await expect(page.locator('.graph-legend')).toContainText('newly denied');
  await expect(page.locator('.graph-status')).toContainText('newly denied');
  await shot('graph-compare');
  await shotGraph(page, 'graph-compare-panel');
  // Denials of the after version stay out of the way of the changes.
  await expect(denied(page)).toHaveCount(0);
});
