// The Learn panel (issue 6 lessons): open a lesson, load its scenario, predict, see the reveal and
// the inspector's explanation, complete the task by typing the change in the editor, and find the
// progress again after a reload. Screenshots of the panel at desktop and phone width land in
// target/e2e-screenshots/learn-*.png.
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';

const editor = (page: Page) => page.getByTestId('editor');
const panel = (page: Page) => page.getByTestId('learn-panel');

async function open(page: Page) {
  await page.goto('/');
  await expect(editor(page)).toBeVisible();
  await expect(page.getByTestId('allow-graph')).toBeVisible();
}

async function openLesson(page: Page, id: string) {
  await page.getByTestId('learn-open').click();
  await expect(panel(page)).toBeVisible();
  await page.locator(`[data-testid="learn-item"][data-id="${id}"]`).click();
  await expect(page.getByTestId('learn-lesson')).toHaveAttribute('data-id', id);
}

/** Selects the first occurrence of `find` in the editor and types `replacement` over it. */
async function typeOver(page: Page, find: string, replacement: string) {
  const ta = editor(page);
  const text = await ta.inputValue();
  const start = text.indexOf(find);
  expect(start, `"${find}" is in the editor`).toBeGreaterThanOrEqual(0);
  await ta.focus();
  await ta.evaluate((el: HTMLTextAreaElement, [s, e]) => el.setSelectionRange(s, e), [start, start + find.length]);
  await page.keyboard.type(replacement);
}

test('a lesson from intro to completed task, with progress kept across a reload', async ({ page, shot }) => {
  await open(page);
  await openLesson(page, 'namespace-labels');
  await expect(page.getByTestId('learn-lesson')).toContainText('kubernetes.io/metadata.name');
  // Nothing to predict before the scenario is loaded.
  await expect(page.getByTestId('learn-predict')).toHaveCount(0);

  await page.getByTestId('learn-load').click();
  await expect(editor(page)).toHaveValue(/name: allow-monitoring/);
  // The inspector does not give the answer away before the guess.
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  await shot('learn-predict');

  // Predict "allowed"; the core says denied: the reveal says so and the inspector explains it.
  await page.getByTestId('predict-allowed').click();
  const reveal = page.getByTestId('learn-reveal');
  await expect(reveal).toHaveAttribute('data-correct', 'false');
  await expect(reveal).toHaveAttribute('data-allowed', 'false');
  await expect(reveal).toContainText('Not quite: it is denied.');
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-allowed', 'false');
  await expect(verdict).toContainText('monitoring/prometheus → production/api');
  expect(await page.getByTestId('highlight-line').count()).toBeGreaterThan(0);

  // The task is checked live: not done on the starting scenario.
  const status = page.getByTestId('learn-status');
  await expect(status).toHaveAttribute('data-done', 'false');
  await expect(status).toContainText('should be allowed, but it is denied');
  await expect(page.locator('[data-testid="learn-check"][data-holds="false"]')).toHaveCount(2);
  await shot('learn-reveal');

  // Type the one-line change in the editor.
  await typeOver(page, '              name: monitoring', '              kubernetes.io/metadata.name: monitoring');
  await expect(status).toHaveAttribute('data-done', 'true');
  await expect(status).toContainText('Task complete');
  await expect(page.locator('[data-testid="learn-check"][data-holds="true"]')).toHaveCount(2);
  await expect(page.getByTestId('learn-count')).toHaveText('1 of 8 done');
  await page.getByTestId('learn-task').scrollIntoViewIfNeeded();
  await shot('learn-done');

  // Progress survives a reload.
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('netpol-playground.learn.v1')))
    .toBe('namespace-labels\tallowed\t1\n');
  await page.reload();
  await expect(editor(page)).toBeVisible();
  await page.getByTestId('learn-open').click();
  await expect(page.getByTestId('learn-count')).toHaveText('1 of 8 done');
  const item = page.locator('[data-testid="learn-item"][data-id="namespace-labels"]');
  await expect(item).toHaveAttribute('data-done', 'true');
  await expect(item).toContainText('✓');
  await shot('learn-list');
  await item.click();
  await expect(page.getByTestId('learn-reveal')).toHaveAttribute('data-correct', 'false');
  await expect(page.getByTestId('learn-status')).toHaveAttribute('data-done', 'true');
});

test('loading a lesson is undoable, and the solution can be applied', async ({ page }) => {
  await open(page);
  const before = await editor(page).inputValue();
  await openLesson(page, 'or-vs-and');
  await page.getByTestId('learn-load').click();
  await expect(editor(page)).toHaveValue(/name: allow-alice-clients/);
  await page.locator('.toast').getByRole('button', { name: 'Undo' }).click();
  await expect(editor(page)).toHaveValue(before);

  await page.getByTestId('learn-load').click();
  await page.getByTestId('predict-allowed').click();
  await expect(page.getByTestId('learn-reveal')).toHaveAttribute('data-correct', 'true');
  await expect(page.getByTestId('learn-status')).toHaveAttribute('data-done', 'false');
  await page.getByTestId('learn-solution').locator('summary').click();
  await page.getByTestId('learn-apply').click();
  await expect(page.getByTestId('learn-status')).toHaveAttribute('data-done', 'true');
  await expect(editor(page)).toHaveValue(/ {10}podSelector:\n {12}matchLabels:\n {14}role: client/);
});

test('the panel works from the keyboard', async ({ page }) => {
  await open(page);
  await page.getByTestId('learn-open').focus();
  await page.keyboard.press('Enter');
  await expect(panel(page)).toBeVisible();
  await expect(page.getByTestId('learn-open')).toHaveAttribute('aria-expanded', 'true');
  // The first lesson is reachable with Tab and opens with Enter.
  await page.locator('[data-testid="learn-item"]').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#learn-lesson-title')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toBeHidden();
  await expect(page.getByTestId('learn-open')).toBeFocused();
  // The editor stays visible and usable while the panel is open.
  await page.keyboard.press('Enter');
  await expect(panel(page)).toBeVisible();
  await expect(editor(page)).toBeVisible();
  const ed = (await editor(page).boundingBox())!;
  const box = (await panel(page).boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(ed.x + ed.width - 1);
});

test('phone width: the panel sits above the editor and nothing overflows sideways', async ({ page, shot }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page);
  await openLesson(page, 'dns-egress');
  await page.getByTestId('learn-load').click();
  await page.getByTestId('predict-denied').click();
  await expect(page.getByTestId('learn-reveal')).toHaveAttribute('data-correct', 'true');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const box = (await panel(page).boundingBox())!;
  const ed = (await editor(page).boundingBox())!;
  expect(ed.y).toBeGreaterThan(box.y + box.height - 1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('learn-phone');
  await page.getByTestId('learn-task').scrollIntoViewIfNeeded();
  await shot('learn-phone-task');
});
