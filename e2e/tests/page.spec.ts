// Feature tests of the playground page (issue 3): the default scenario, typing a policy, the
// OR-vs-AND preset in the inspector with its editor highlight, invalid YAML keeping the old graph,
// the scenario surviving a reload, and the phone layout. Screenshots land in target/e2e-screenshots/.
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../fixtures';

const editor = (page: Page) => page.getByTestId('editor');
const edges = (page: Page) => page.locator('[data-testid="graph-edge"]');

/** Loads the page on a fresh profile (no saved scenario) and waits for the wasm to render. */
async function open(page: Page) {
  await page.goto('/');
  await expect(editor(page)).toBeVisible();
  await expect(page.getByTestId('allow-graph')).toBeVisible();
}

async function showMatrix(page: Page) {
  await page.getByRole('tab', { name: 'Matrix' }).click();
  await expect(page.getByTestId('matrix')).toBeVisible();
}

/** The 1-based line numbers of `text` whose content matches `re`. */
function linesMatching(text: string, re: RegExp): number[] {
  return text
    .split('\n')
    .map((l, i) => (re.test(l) ? i + 1 : 0))
    .filter((n) => n > 0);
}

async function highlighted(page: Page): Promise<number[]> {
  const lines = await page.getByTestId('highlight-line').evaluateAll((els) =>
    els.map((e) => Number(e.getAttribute('data-line'))),
  );
  return lines.sort((a, b) => a - b);
}

async function pickPreset(page: Page, id: string) {
  await page.getByRole('button', { name: /Presets/ }).click();
  await expect(page.getByTestId('preset-menu')).toBeVisible();
  await page.locator(`[data-testid="preset-item"][data-id="${id}"]`).click();
  await expect(page.getByTestId('preset-menu')).toBeHidden();
}

test('the default scenario opens with a graph, a matrix and an explained flow', async ({ page, shot }) => {
  await open(page);
  await expect(edges(page).first()).toBeVisible();
  expect(await edges(page).count()).toBeGreaterThan(0);
  expect(await page.getByTestId('graph-node').count()).toBeGreaterThan(1);
  await expect(page.getByTestId('verdict')).toBeVisible();
  await expect(page.getByTestId('stale-badge')).toHaveCount(0);
  await shot('default-scenario');

  // The pickers suggest the scenario's endpoints and its probes once one of them has the focus.
  await page.getByLabel(/^Source:/).focus();
  await expect(page.locator('#flow-sources option[value="shop/web"]')).toHaveCount(1);
  await expect(page.locator('#flow-targets option[value="kube-system/coredns"]')).toHaveCount(1);
  await expect(page.locator('#flow-probes option[value="TCP/8080"]')).toHaveCount(1);

  await showMatrix(page);
  const cells = page.getByTestId('matrix-cell');
  expect(await cells.count()).toBeGreaterThan(3);
  expect(await page.locator('[data-testid="matrix-cell"][data-allowed="true"]').count()).toBeGreaterThan(0);
  // Cells are told apart without colour.
  await expect(page.locator('[data-testid="matrix-cell"][data-allowed="true"]').first()).toHaveText('✓');

  // Clicking a cell opens that flow in the inspector, with the same verdict.
  const denied = page.locator('[data-testid="matrix-cell"][data-allowed="false"]').first();
  const from = await denied.getAttribute('data-from');
  const to = await denied.getAttribute('data-to');
  await denied.click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-allowed', 'false');
  await expect(page.getByTestId('verdict')).toContainText(`${from} → ${to}`);
  await shot('default-matrix');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('tab', { name: 'Graph' }).click();
  await shot('default-dark');
});

test('clicking a graph arrow opens that allowed flow in the inspector', async ({ page }) => {
  await open(page);
  await pickPreset(page, 'or-vs-and');
  // Start from a denied flow, so the arrow visibly changes the inspector.
  const to = page.getByLabel(/^Destination/);
  await to.fill('and-demo/db');
  await to.press('Enter');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-allowed', 'false');
  await edges(page).first().dispatchEvent('click');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-allowed', 'true');
  await expect(page.getByTestId('verdict')).not.toContainText('alice/web → and-demo/db');
});

test('typing a deny-all policy removes an allowed cell and an arrow', async ({ page }) => {
  await open(page);
  await showMatrix(page);
  // An allowed cell between two different pods (a pod talking to itself is always allowed) whose
  // destination is not yet isolated for ingress: policies add up, so a deny-all only takes away
  // what no other policy of that pod allows.
  const probeSelect = page.getByLabel('Probe used in the scenario');
  let pair: string[] | undefined;
  for (const probe of await probeSelect.locator('option').allTextContents()) {
    await probeSelect.selectOption(probe);
    const pairs = await page
      .locator('[data-testid="matrix-cell"][data-allowed="true"][data-to-isolated="false"]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-from')!, e.getAttribute('data-to')!]));
    pair = pairs.find(([a, b]) => a !== b);
    if (pair) break;
  }
  expect(pair, 'the default scenario has an allowed flow into a non-isolated pod').toBeDefined();
  const [from, to] = pair!;
  const namespace = to.split('/')[0];
  await page.getByRole('tab', { name: 'Graph' }).click();
  const before = await edges(page).count();

  await editor(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(
    [
      '',
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: typed-deny-all',
      `  namespace: ${namespace}`,
      'spec:',
      '  podSelector: {}',
      '  policyTypes: [Ingress]',
      '',
    ].join('\n'),
  );
  await expect.poll(() => edges(page).count()).toBeLessThan(before);
  await showMatrix(page);
  await expect(
    page.locator(`[data-testid="matrix-cell"][data-from="${from}"][data-to="${to}"]`),
  ).toHaveAttribute('data-allowed', 'false');
});

test('replacing the whole text opens a flow of the new scenario and drops the preset lesson', async ({ page }) => {
  await open(page);
  // The first visit shows the default preset's lesson and its flow.
  await expect(page.getByLabel('What this preset teaches')).toBeVisible();
  const other = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: client, namespace: lab, labels: {app: client}}',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: server, namespace: lab, labels: {app: server}}',
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: server-from-client, namespace: lab}',
    'spec:',
    '  podSelector: {matchLabels: {app: server}}',
    '  ingress:',
    '  - from: [{podSelector: {matchLabels: {app: client}}}]',
    '    ports: [{port: 8080}]',
    '',
  ].join('\n');
  await editor(page).fill(other);
  // Neither end of the preset's flow exists any more: the inspector opens one of this scenario
  // (into the isolated pod, from the pod it admits) instead of "No pod or workload …".
  await expect(page.getByTestId('verdict')).toContainText('lab/client → lab/server');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-allowed', 'true');
  await expect(page.getByText(/No pod or workload/)).toHaveCount(0);
  await expect(page.getByLabel('What this preset teaches')).toHaveCount(0);
});

test('Tab indents with spaces and Ctrl+Z undoes it', async ({ page }) => {
  await open(page);
  const ta = editor(page);
  await ta.click();
  await page.keyboard.press('Control+Home');
  const original = await ta.inputValue();
  await page.keyboard.press('Tab');
  await expect(ta).toHaveValue('  ' + original);
  await page.keyboard.press('Control+z');
  await expect(ta).toHaveValue(original);
});

test('the line numbers and the highlight layer follow the editor when it scrolls', async ({ page }) => {
  await open(page);
  // Opening the page scrolls nothing: only a user's pick reveals the highlighted lines.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  expect(await editor(page).evaluate((e) => e.scrollTop)).toBe(0);
  const top = (sel: string) => page.locator(sel).evaluate((e) => e.getBoundingClientRect().top);
  const before = { gutter: await top('.gutter-inner'), layer: await top('.layer') };
  await editor(page).evaluate((e) => (e.scrollTop = 200));
  await expect.poll(async () => before.gutter - (await top('.gutter-inner'))).toBe(200);
  expect(before.layer - (await top('.layer'))).toBe(200);
  await editor(page).evaluate((e) => (e.scrollTop = 0));
  await expect.poll(() => top('.gutter-inner')).toBe(before.gutter);
});

test('the OR/AND preset marks the matching entry and highlights its lines', async ({ page, shot }) => {
  await open(page);
  await pickPreset(page, 'or-vs-and');
  const text = await editor(page).inputValue();
  expect(text).toContain('allow-alice-or-clients');

  // alice/web is not a client, but every pod of namespace alice matches from[0]: allowed (OR).
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('verdict')).toHaveAttribute('data-allowed', 'true');
  const entries = inspector.getByTestId('peer-entry');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toHaveAttribute('data-index', '0');
  await expect(entries.nth(0)).toHaveAttribute('data-held', 'true');
  await expect(entries.nth(1)).toHaveAttribute('data-held', 'false');
  await expect(entries.nth(0).getByTestId('term').first()).toHaveAttribute('data-held', 'true');

  // The editor highlights from[0] of the OR policy: its `- namespaceSelector:` line and the
  // `user: alice` under it, and not from[1].
  const orPolicyStart = linesMatching(text, /name: allow-alice-or-clients/)[0];
  const nsLine = linesMatching(text, /^\s*- namespaceSelector:/).find((l) => l > orPolicyStart)!;
  const podLine = linesMatching(text, /^\s*- podSelector:/).find((l) => l > orPolicyStart)!;
  const lines = await highlighted(page);
  expect(lines).toContain(nsLine);
  expect(lines).toContain(nsLine + 2);
  expect(lines).not.toContain(podLine);
  await page.getByRole('button', { name: /Expand inspector/ }).click();
  await page.getByRole('button', { name: 'Dismiss the lesson' }).click();
  await inspector.getByText('Ingress of or-demo/db').scrollIntoViewIfNeeded();
  await shot('inspector-or-and');
  await page.getByRole('button', { name: /Show graph/ }).click();

  // The AND twin: one entry, namespaceSelector held AND podSelector failed, so denied.
  const to = page.getByLabel(/^Destination/);
  await to.fill('and-demo/db');
  await to.press('Enter');
  await expect(inspector.getByTestId('verdict')).toHaveAttribute('data-allowed', 'false');
  await expect(entries).toHaveCount(1);
  await expect(entries.nth(0)).toHaveAttribute('data-held', 'false');
  const terms = entries.nth(0).getByTestId('term');
  await expect(terms.nth(0)).toHaveAttribute('data-held', 'true');
  await expect(terms.nth(1)).toHaveAttribute('data-held', 'false');
  await expect(inspector).toContainText('would match if');

  // Clicking a term highlights its selector: the `role: client` under the entry's podSelector.
  await terms.nth(1).click();
  const andPolicyStart = linesMatching(text, /name: allow-alice-clients/)[0];
  const roleLine = linesMatching(text, /^\s+role: client/).find((l) => l > andPolicyStart)!;
  await expect.poll(() => highlighted(page)).toContain(roleLine);
  expect(await highlighted(page)).not.toContain(roleLine - 3);
});

test('loading a preset never loses work: Ctrl+Z or the Undo button bring the text back', async ({ page }) => {
  await open(page);
  const before = await editor(page).inputValue();
  await pickPreset(page, 'or-vs-and');
  await expect(editor(page)).not.toHaveValue(before);
  await editor(page).focus();
  await page.keyboard.press('Control+z');
  await expect(editor(page)).toHaveValue(before);

  await pickPreset(page, 'or-vs-and');
  await expect(editor(page)).not.toHaveValue(before);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(editor(page)).toHaveValue(before);
});

test('the presets menu works from the keyboard', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: /Presets/ }).focus();
  await page.keyboard.press('Enter');
  const items = page.getByTestId('preset-item');
  expect(await items.count()).toBeGreaterThanOrEqual(12);
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toBeFocused();
  const id = await items.nth(1).getAttribute('data-id');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('preset-menu')).toBeHidden();
  await expect(page.getByLabel('What this preset teaches')).toBeVisible();
  expect(id).toBeTruthy();
});

test('invalid YAML shows an inline error and a stale badge while the old graph stays', async ({ page, shot }) => {
  await open(page);
  const before = await edges(page).count();
  const ta = editor(page);
  const good = await ta.inputValue();
  await ta.fill(good + '\n---\napiVersion: v1\nkind: Pod\nmetadata: [unclosed\n');
  const items = page.getByTestId('error-item');
  await expect(page.getByTestId('error-list')).toBeVisible();
  await expect(items.first()).toBeVisible();
  await expect(page.getByTestId('stale-badge')).toBeVisible();
  expect(await edges(page).count()).toBe(before);
  await expect(page.locator('.gutter-mark.error').first()).toBeVisible();
  await shot('invalid-yaml');

  // Clicking an error puts the cursor on its line.
  const errorLine = good.split('\n').length + 4;
  await items.first().click();
  await expect(ta).toBeFocused();
  const cursorLine = await ta.evaluate((el: HTMLTextAreaElement) =>
    el.value.slice(0, el.selectionStart).split('\n').length,
  );
  expect(Math.abs(cursorLine - errorLine)).toBeLessThanOrEqual(1);

  // Fixing the text clears the badge.
  await ta.fill(good);
  await expect(page.getByTestId('stale-badge')).toHaveCount(0);
  await expect(page.getByTestId('error-list')).toHaveCount(0);
});

test('the scenario is restored after a reload', async ({ page }) => {
  await open(page);
  const ta = editor(page);
  const marked = '# my scenario, kept across reloads\n' + (await ta.inputValue());
  await ta.fill(marked);
  // Saved once typing settles (debounced).
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('netpol-playground.scenario.v1')))
    .toBe(marked);
  await page.reload();
  await expect(editor(page)).toHaveValue(marked);
});

test('phone width: panels stack and nothing overflows sideways', async ({ page, shot }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const box = async (l: Locator) => (await l.boundingBox())!;
  const ed = await box(editor(page));
  const graph = await box(page.getByTestId('allow-graph'));
  expect(graph.y).toBeGreaterThan(ed.y + ed.height - 1);
  await shot('phone');
  await shot('phone-full', { fullPage: true });
});
