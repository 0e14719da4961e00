// The decision chain across tiers in the flow inspector (issue 7): the cluster-guardrails preset
// (ClusterNetworkPolicy Admin and Baseline tiers around NetworkPolicies, network-policy-api
// evaluation order Admin → NetworkPolicy → Baseline → default allow) drawn as one step per tier,
// the deciding step marked, each step highlighting its YAML, and the tier warnings (equal
// priorities in the chain, NP017 in the lint panel) where an edit of the preset triggers them.
import type { Page } from '@playwright/test';
import path from 'node:path';
import { test, expect } from '../fixtures';

const editor = (page: Page) => page.getByTestId('editor');
const inspector = (page: Page) => page.getByTestId('inspector');

async function open(page: Page) {
  await page.goto('/');
  await expect(editor(page)).toBeVisible();
  await expect(page.getByTestId('allow-graph')).toBeVisible();
}

async function pickPreset(page: Page, id: string) {
  await page.getByRole('button', { name: /Presets/ }).click();
  await expect(page.getByTestId('preset-menu')).toBeVisible();
  await page.locator(`[data-testid="preset-item"][data-id="${id}"]`).click();
  await expect(page.getByTestId('preset-menu')).toBeHidden();
}

/** Types a flow into the inspector's pickers (they apply on change). */
async function pickFlow(page: Page, from: string, to: string, probe: string) {
  const set = async (label: RegExp, value: string) => {
    const input = page.getByLabel(label);
    await input.fill(value);
    await input.press('Tab');
  };
  await set(/^Source:/, from);
  await set(/^Destination:/, to);
  await set(/^Protocol and port/, probe);
  await expect(inspector(page).getByTestId('verdict')).toContainText(`${from} → ${to} on ${probe}`);
}

/** The ingress side's chain (the destination's side). */
const ingressChain = (page: Page) =>
  inspector(page).locator('section.side').nth(1).getByTestId('tier-chain');

/** `[tier, outcome, decides]` of each step of a chain. */
async function steps(page: Page) {
  return ingressChain(page)
    .getByTestId('tier-step')
    .evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-tier'), e.getAttribute('data-outcome'), e.getAttribute('data-decides')]),
    );
}

/** Expands the inspector, closes the lesson and the toast, and scrolls to the verdict. */
async function focusInspector(page: Page) {
  await page.getByRole('button', { name: /Expand inspector/ }).click();
  const dismiss = page.getByRole('button', { name: 'Dismiss the lesson' });
  if (await dismiss.isVisible()) await dismiss.click();
  const toast = page.locator('.toast').getByRole('button', { name: 'Close' });
  if (await toast.isVisible()) await toast.click();
  await inspector(page).locator('.inspector-body').evaluate((el) => el.scrollTo(0, 0));
}

function linesMatching(text: string, re: RegExp): number[] {
  return text
    .split('\n')
    .map((l, i) => (re.test(l) ? i + 1 : 0))
    .filter((n) => n > 0);
}

async function highlighted(page: Page): Promise<number[]> {
  const lines = await page
    .getByTestId('highlight-line')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))));
  return lines.sort((a, b) => a - b);
}

test('an Admin Deny decides before the NetworkPolicy that would allow', async ({ page, shot }) => {
  await open(page);
  await pickPreset(page, 'cluster-guardrails');
  // The preset opens on tenant-a/web → sensitive/db TCP/5432: protect-db's catch-all Deny.
  await expect(inspector(page).getByTestId('verdict')).toHaveAttribute('data-allowed', 'false');
  await expect(ingressChain(page)).toBeVisible();
  expect(await steps(page)).toEqual([
    ['Admin', 'deny', 'true'],
    ['NetworkPolicy', 'skipped', 'false'],
    ['Baseline', 'skipped', 'false'],
  ]);
  const admin = ingressChain(page).getByTestId('tier-step').first();
  await expect(admin).toContainText('protect-db');
  await expect(admin).toContainText('priority 10');
  await expect(admin.getByTestId('tier-outcome')).toHaveText(/Deny/);
  await expect(admin).toContainText('deny-everyone-else');
  await focusInspector(page);
  await shot('inspector-tier-chain-admin-deny');

  // By default the editor highlights the rule that decided: `- name: deny-everyone-else` …
  const text = await editor(page).inputValue();
  const denyLine = linesMatching(text, /- name: deny-everyone-else/)[0];
  const allowAllLine = linesMatching(text, /name: allow-all-to-db/)[0];
  await expect.poll(() => highlighted(page)).toContain(denyLine);
  expect(await highlighted(page)).not.toContain(allowAllLine);

  // … and clicking a step highlights that step's YAML: the NetworkPolicy the Admin tier overrode
  // is one click away in "what it would say".
  await ingressChain(page).getByText(/would say/).click();
  await ingressChain(page).getByRole('button', { name: 'sensitive/allow-all-to-db' }).click();
  await expect.poll(() => highlighted(page)).toContain(allowAllLine);
  expect(await highlighted(page)).not.toContain(denyLine);
  await admin.getByTestId('tier-step-head').click();
  await expect.poll(() => highlighted(page)).toContain(denyLine);

});

test('a Pass hands the flow to the NetworkPolicy tier, which decides', async ({ page, shot }) => {
  await open(page);
  await pickPreset(page, 'cluster-guardrails');
  await pickFlow(page, 'monitoring/prometheus', 'sensitive/db', 'TCP/9187');
  await expect(inspector(page).getByTestId('verdict')).toHaveAttribute('data-allowed', 'true');
  expect(await steps(page)).toEqual([
    ['Admin', 'pass', 'false'],
    ['NetworkPolicy', 'allow', 'true'],
    ['Baseline', 'skipped', 'false'],
  ]);
  const chain = ingressChain(page);
  await expect(chain.getByTestId('tier-step').first().getByTestId('tier-outcome')).toHaveText(/Pass/);
  const np = chain.locator('[data-testid="tier-step"][data-tier="NetworkPolicy"]');
  await expect(np).toContainText('sensitive/allow-all-to-db');
  // The NetworkPolicy step holds the usual policy card with its rule.
  await expect(np.locator('.policy')).toHaveCount(1);

  // Clicking the Pass step highlights the Pass rule.
  const text = await editor(page).inputValue();
  const passLine = linesMatching(text, /- name: pass-monitoring-metrics/)[0];
  await chain.getByTestId('tier-step').first().getByTestId('tier-step-head').click();
  await expect.poll(() => highlighted(page)).toContain(passLine);

  await focusInspector(page);
  await shot('inspector-tier-chain-pass');

  // On another port the same client falls through to the Deny.
  await page.getByRole('button', { name: /Show graph/ }).click();
  await pickFlow(page, 'monitoring/prometheus', 'sensitive/db', 'TCP/5432');
  expect((await steps(page))[0]).toEqual(['Admin', 'deny', 'true']);
});

test('the Baseline tier decides only where no NetworkPolicy isolates', async ({ page }) => {
  await open(page);
  await pickPreset(page, 'cluster-guardrails');
  await pickFlow(page, 'tenant-a/web', 'tenant-b/worker', 'TCP/8080');
  await expect(inspector(page).getByTestId('verdict')).toHaveAttribute('data-allowed', 'false');
  expect(await steps(page)).toEqual([
    ['Admin', 'nomatch', 'false'],
    ['NetworkPolicy', 'nomatch', 'false'],
    ['Baseline', 'deny', 'true'],
  ]);
  await expect(ingressChain(page)).toContainText('isolate-tenant-b');
  // tenant-b/web is isolated by allow-tenant-a: the NetworkPolicy allow decides, Baseline is skipped.
  await pickFlow(page, 'tenant-a/web', 'tenant-b/web', 'TCP/8080');
  await expect(inspector(page).getByTestId('verdict')).toHaveAttribute('data-allowed', 'true');
  expect(await steps(page)).toEqual([
    ['Admin', 'nomatch', 'false'],
    ['NetworkPolicy', 'allow', 'true'],
    ['Baseline', 'skipped', 'false'],
  ]);
});

test('tier warnings: equal priorities in the chain, a shadowed rule in the lint panel', async ({ page }) => {
  await open(page);
  await pickPreset(page, 'cluster-guardrails');
  const original = await editor(page).inputValue();
  await expect(page.locator('[data-testid="lint-item"][data-id="NP017"]')).toHaveCount(0);
  // Two edits an admin could make by mistake: a catch-all Deny above accept-backend (which it then
  // shadows: NP017), and both Baseline policies at priority 10 (order undefined upstream).
  const edited = original
    .replace(
      '    - name: accept-backend',
      '    - name: deny-all-first\n      action: Deny\n      from:\n        - namespaces: {}\n    - name: accept-backend',
    )
    .replace('  priority: 20', '  priority: 10');
  expect(edited).not.toEqual(original);
  await editor(page).fill(edited);
  const np017 = page.locator('[data-testid="lint-item"][data-id="NP017"]');
  await expect(np017.first()).toBeVisible();
  await expect(np017.first()).toContainText(/accept-backend|ingress\[2\]|shadow|decided/);

  await pickFlow(page, 'tenant-a/web', 'tenant-b/worker', 'TCP/8080');
  const warning = ingressChain(page).getByTestId('tier-warning');
  await expect(warning).toHaveCount(1);
  await expect(warning).toContainText('isolate-tenant-a');
  await expect(warning).toContainText('Undefined order');
});

test('phone width: the chain stacks and stays readable', async ({ page, shot }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page);
  await pickPreset(page, 'cluster-guardrails');
  await pickFlow(page, 'monitoring/prometheus', 'sensitive/db', 'TCP/9187');
  const toast = page.locator('.toast').getByRole('button', { name: 'Close' });
  if (await toast.isVisible()) await toast.click();
  const chain = ingressChain(page);
  await chain.scrollIntoViewIfNeeded();
  await expect(chain).toBeVisible();
  // Nothing in the chain is wider than the screen.
  const widest = await chain.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(widest).toBeLessThanOrEqual(1);
  await inspector(page).locator('section.side').nth(1).screenshot({
    path: path.resolve(__dirname, '..', '..', 'target', 'e2e-screenshots', 'inspector-tier-chain-phone.png'),
  });
  await shot('inspector-tier-chain-phone-page');
  // The dark theme keeps the tiers apart too.
  await page.emulateMedia({ colorScheme: 'dark' });
  await inspector(page).locator('section.side').nth(1).screenshot({
    path: path.resolve(__dirname, '..', '..', 'target', 'e2e-screenshots', 'inspector-tier-chain-phone-dark.png'),
  });
});
