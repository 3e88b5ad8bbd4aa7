// The operator console in a real browser: Debian's headless Chromium, driven by playwright-core
// (no browser download). browser_console_test.cpp starts the stack, makes one command fail,
// runs this script and then checks the PSA itself. This script signs in, opens the tenant,
// finds the failed sync, opens its explanation, replays it (and again), and checks what the
// console shows.
//
// Environment: CONSOLE_URL (http://127.0.0.1:<operator port>/console), CONSOLE_TOKEN,
// CONSOLE_TENANT, EXPECT_REASON and EXPECT_MESSAGE (the catalogue entry the failure must show),
// HOSTILE_TEXT (a record's message holding markup, which must show as text), SCREENSHOT_DIR
// (optional: where the screenshots for docs/console.md go), CHROMIUM (default /usr/bin/chromium).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const consoleUrl = env('CONSOLE_URL');
const token = env('CONSOLE_TOKEN');
const tenant = env('CONSOLE_TENANT');
const expectReason = env('EXPECT_REASON');
const expectMessage = env('EXPECT_MESSAGE');
const hostileText = env('HOSTILE_TEXT');
const screenshotDir = process.env.SCREENSHOT_DIR || '';
const origin = new URL(consoleUrl).origin;

// As the machine's notes advise: without the background-networking flags Chromium keeps
// trying to reach Google's hosts, which a closed CI network refuses.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

const problems = [];
const step = (text) => console.log(`console test: ${text}`);

async function shot(page, name) {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, name), fullPage: true });
}

try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  page.setDefaultTimeout(15000);
  page.on('pageerror', (error) => problems.push(`script error on the page: ${error.message}`));
  // Every answer the page got is a success, but the 401 it is meant to get for a wrong token.
  let expectRefusal = false;
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    if (expectRefusal && response.status() === 401) return;
    problems.push(`${response.status()} for ${response.request().method()} ${response.url()}`);
  });
  // The console must work without any external CDN: nothing leaves its own origin.
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== origin) problems.push(`request to another origin: ${request.url()}`);
  });
  await page.addInitScript(() => { window.__injected = false; });

  step('sign in');
  await page.goto(consoleUrl);
  expectRefusal = true;
  await page.locator('#token').fill('not-a-token-0123456789');
  await page.locator('#use-token').click();
  await page.locator('#sign-in-error', { hasText: 'not known' }).waitFor();
  expectRefusal = false;
  await page.locator('#token').fill(token);
  await page.locator('#use-token').click();
  const tenantButton = page.locator(`#tenant-list button[data-tenant="${tenant}"]`);
  await tenantButton.waitFor();

  step('open the tenant');
  await tenantButton.click();
  await page.locator('#tenant-title', { hasText: tenant }).waitFor();
  await page.locator('#tenant-psa').filter({ hasText: /\S/ }).waitFor();
  // The failed sync (and the failed poll) count as errors.
  await page.waitForFunction(() => Number.parseInt(document.getElementById('error-count').textContent, 10) >= 2);
  await page.locator('#health-table tbody tr').first().waitFor();

  step('filter to the problems and find the failed sync');
  await page.locator('#filter-problems').check();
  await page.locator('#refresh').click();
  const failed = page.locator('#activity-table tr.activity[data-outcome="dead_lettered"]').first();
  await failed.waitFor();
  assert.equal((await failed.locator('td.reason').textContent()).trim(), expectReason);
  await shot(page, 'console-failed-sync.png');

  step('open its explanation');
  await failed.locator('button.explain').click();
  const explanation = page.locator('#activity-table tr.explanation').first();
  await explanation.locator('.reason-cause').waitFor();
  assert.equal((await explanation.locator('.reason-message').textContent()).trim(), expectMessage);
  assert.ok((await explanation.locator('.reason-fix').textContent()).trim().length > 20, 'the fix is shown');
  assert.match(await explanation.locator('.reason-retried').textContent(), /not until the cause is fixed/);
  await shot(page, 'console-explanation.png');

  step('replay it');
  await failed.locator('button.replay').click();
  const result = page.locator('#action-result');
  await result.filter({ hasText: 'Replay: replayed 1.' }).waitFor();
  // The replay is recorded, and the replayed command then runs: the console shows both.
  await page.locator('#filter-problems').uncheck();
  const created = page.locator('#activity-table tr.activity[data-outcome="created"]');
  for (let i = 0; i < 60 && (await created.count()) === 0; i++) {
    await page.locator('#refresh').click();
    await page.waitForTimeout(500);
  }
  assert.ok((await created.count()) >= 1, 'the replayed command was created in the PSA');
  assert.ok((await page.locator('#activity-table tr.activity[data-outcome="replayed"]').count()) >= 1,
            'the replay itself is in the activity');
  await shot(page, 'console-replayed.png');

  step('replay again: nothing is sent twice');
  await page.locator('#replay-all').click();
  await result.filter({ hasText: '1 already replayed before' }).waitFor();
  assert.match(await result.textContent(), /^Replay: replayed 0, 1 already replayed before\.$/);
  // Forced once more from its row: dispatch's record of the executed command holds.
  const letter = page.locator('#activity-table tr.activity[data-outcome="dead_lettered"]').first();
  await letter.locator('.replayed-at').waitFor();
  await letter.locator('button.replay', { hasText: 'Replay again' }).click();
  await result.filter({ hasText: 'Replay: replayed 1.' }).waitFor();
  const skipped = page.locator('#activity-table tr.activity[data-outcome="skipped_duplicate"]');
  for (let i = 0; i < 60 && (await skipped.count()) === 0; i++) {
    await page.locator('#refresh').click();
    await page.waitForTimeout(500);
  }
  assert.ok((await skipped.count()) >= 1, 'the forced replay was recognised as already executed');

  step('text from a PSA is shown as text, never run');
  const hostile = page.locator('#activity-table td', { hasText: hostileText });
  await hostile.first().waitFor();
  assert.equal(await page.locator('#activity-table img, #activity-table script').count(), 0);
  assert.equal(await page.evaluate(() => window.__injected), false, 'markup in a record ran');

  step('forget the token');
  await page.locator('#sign-out').click();
  await page.locator('#sign-in').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
} catch (error) {
  problems.push(error.stack || String(error));
} finally {
  await browser.close();
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
step('passed');
