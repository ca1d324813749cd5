// The seller console in Debian's Chromium (driven by playwright-core) against the packaged server running the demo
// catalog with a webhook connector on channel shopify. Environment: CONSOLE_BASE (the server), ADMIN_TOKEN,
// AGENT_TOKEN, SHOTS (where the page screenshots go), CHROMIUM (default /usr/bin/chromium).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.env.CONSOLE_BASE;
const adminToken = process.env.ADMIN_TOKEN;
const agentToken = process.env.AGENT_TOKEN;
const shots = process.env.SHOTS;
const HOSTILE = '<img src=x onerror=alert(1)>';
let browser;

async function call(method, path, token, body) {
  const response = await fetch(base + path, { method, headers: { Authorization: 'Bearer ' + token,
    'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, headers: response.headers };
}

/** A fresh browser tab signed in with `token`; CSP violations, dialogs and page errors are collected. */
async function signedIn(token) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const trouble = { violations: [], dialogs: [], errors: [] };
  page.on('dialog', (dialog) => {
    trouble.dialogs.push(dialog.message());
    dialog.dismiss();
  });
  page.on('pageerror', (error) => trouble.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) {
      trouble.violations.push(message.text());
    }
  });
  await page.goto(base + '/');
  await page.fill('input[name="key"]', token);
  await page.click('#login button[type="submit"]');
  await page.waitForSelector('#nav:not([hidden])');
  return { context, page, trouble };
}

async function shoot(page, name) {
  await page.screenshot({ path: shots + '/' + name + '.png' });
}

before(async () => {
  assert.ok(base && adminToken && agentToken && shots, 'CONSOLE_BASE, ADMIN_TOKEN, AGENT_TOKEN and SHOTS are needed');
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'] });
});

after(async () => {
  if (browser) await browser.close();
});

test('every response carries the security headers, the console its own policy', async () => {
  for (const path of ['/', '/docs', '/console/app.js', '/v1/openapi.json', '/health', '/v1/no-such-thing']) {
    const response = await fetch(base + path);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
    assert.match(response.headers.get('content-security-policy'), /frame-ancestors 'none'/, path);
  }
  const page = await fetch(base + '/');
  assert.match(page.headers.get('content-security-policy'), /script-src 'self';/);
  assert.doesNotMatch(page.headers.get('content-security-policy'), /unsafe-inline|unsafe-eval/);
});

test('the grid shows the demo SKUs, and a stock change made through the API reaches its cell without reload',
  async (t) => {
    const { context, page, trouble } = await signedIn(adminToken);
    await page.waitForFunction(() => /of 324 SKUs/.test(document.getElementById('grid-count')?.textContent ?? ''));
    await page.waitForSelector('#stream-state:text("live")');
    await shoot(page, 'stock');
    // The README's picture (docs/console.png is a copy of it): the grid in a smaller window.
    await page.setViewportSize({ width: 1000, height: 540 });
    await shoot(page, 'console');
    await page.setViewportSize({ width: 1400, height: 900 });
    const sku = 'trail-shoe-black-m';
    await page.fill('input[name="filter"]', sku);
    const cell = page.locator('[data-sku="' + sku + '"][data-channel="shopify"]');
    const before = (await call('GET', '/v1/availability/' + sku + '?channel=shopify', adminToken)).json;
    await page.waitForFunction(([selector, value]) => document.querySelector(selector)?.textContent === value,
      ['[data-sku="' + sku + '"][data-channel="shopify"]', String(before.available)]);
    await page.evaluate(() => { window.notReloaded = true; });
    const sent = performance.now();
    const receive = await call('POST', '/v1/stock/receive', adminToken, { sku, location: 'oak', qty: 7 });
    assert.equal(receive.status, 200);
    const expected = (await call('GET', '/v1/availability/' + sku + '?channel=shopify', adminToken)).json;
    assert.equal(expected.available, before.available + 7);
    // The bound: the change is in the right cell within a second of the API's answer.
    await page.waitForFunction(([selector, value]) => document.querySelector(selector)?.textContent === value,
      ['[data-sku="' + sku + '"][data-channel="shopify"]', String(expected.available)], { timeout: 1000 });
    t.diagnostic('receive sent to cell updated (its answer and a GET included): ' +
      Math.round(performance.now() - sent) + ' ms');
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
    assert.match(await cell.getAttribute('class'), /in_stock|low_stock|out_of_stock/);
    await page.fill('input[name="filter"]', '');
    await page.selectOption('select[name="status"]', 'out_of_stock');
    await page.waitForFunction(() => /^\d+ of 324 SKUs/.test(document.getElementById('grid-count')?.textContent ?? ''));
    const outCells = await page.locator('.grid-row .out_of_stock').count();
    assert.ok(outCells > 0, 'the status filter shows out-of-stock cells');
    assert.deepEqual(trouble, { violations: [], dialogs: [], errors: [] });
    await context.close();
  });

test('the SKU page shows quantities, channels with the sync ledger, a delivery promise and the audit trail',
  async () => {
    const { context, page, trouble } = await signedIn(adminToken);
    await page.goto(base + '/#/sku/trail-shoe-black-m');
    await page.waitForSelector('#sku-title');
    assert.equal(await page.textContent('#sku-id'), 'trail-shoe-black-m');
    await page.click('form:has(input[name="postal_code"]) button');
    await page.waitForSelector('#promise table');
    await page.waitForSelector('#sku-audit table');
    assert.ok(await page.locator('#sku-audit tbody tr').count() > 0, 'the SKU has audit entries');
    await shoot(page, 'sku');
    assert.deepEqual(trouble, { violations: [], dialogs: [], errors: [] });
    await context.close();
  });

test('a hostile SKU title renders as its characters and runs nothing', async () => {
  const put = await call('PUT', '/v1/skus/hostile-title', adminToken, { title: HOSTILE,
    price: { amount: 100, currency: 'USD' } });
  assert.equal(put.status, 200);
  const { context, page, trouble } = await signedIn(adminToken);
  await page.goto(base + '/#/sku/hostile-title');
  await page.waitForSelector('#sku-title');
  assert.equal(await page.textContent('#sku-title'), HOSTILE);
  assert.equal(await page.locator('#view img').count(), 0);
  await page.waitForTimeout(300);
  assert.deepEqual(trouble.dialogs, []);
  assert.deepEqual(trouble.violations, []);
  await shoot(page, 'sku-hostile-title');
  await context.close();
});

test('channels show the connector, and reconcile works', async () => {
  const { context, page, trouble } = await signedIn(adminToken);
  await page.goto(base + '/#/channels');
  const button = page.locator('[data-reconcile="shopify"]');
  await button.waitFor();
  await button.click();
  await page.waitForFunction(() => /SKUs queued/.test(document.getElementById('reconcile-result')?.textContent ?? ''));
  assert.match(await page.textContent('#reconcile-result'), /^Reconcile shopify: \d+ SKUs queued at version \d+$/);
  await shoot(page, 'channels');
  assert.deepEqual(trouble, { violations: [], dialogs: [], errors: [] });
  await context.close();
});

test('audit verify shows the head hash of the chain', async () => {
  const { context, page, trouble } = await signedIn(adminToken);
  await page.goto(base + '/#/audit');
  await page.waitForSelector('#audit-entries table');
  await page.click('#verify');
  await page.waitForSelector('#head-hash');
  const shown = await page.textContent('#head-hash');
  assert.match(shown, /^[0-9a-f]{64}$/);
  const verified = (await call('GET', '/v1/audit/verify', adminToken)).json;
  assert.equal(verified.ok, true);
  assert.equal(shown, verified.head);
  await shoot(page, 'audit');
  assert.deepEqual(trouble, { violations: [], dialogs: [], errors: [] });
  await context.close();
});

test('the live page draws samples from the metrics stream', async () => {
  const { context, page, trouble } = await signedIn(adminToken);
  await page.goto(base + '/#/live');
  await page.waitForSelector('#live-state:text("live")');
  await page.waitForFunction(() => /reservations \d+/.test(document.querySelector('#charts .now')?.textContent ?? ''));
  await shoot(page, 'live');
  assert.deepEqual(trouble, { violations: [], dialogs: [], errors: [] });
  await context.close();
});

test('an agent key sees the pages read-only: no mutating control, and the server refuses anyway', async () => {
  const { context, page, trouble } = await signedIn(agentToken);
  assert.equal(await page.textContent('#who'), 'read-only key');
  // The demo's 324 SKUs, and the one the hostile-title test added.
  await page.waitForFunction(() => /of 32[45] SKUs/.test(document.getElementById('grid-count')?.textContent ?? ''));
  for (const hash of ['#/stock', '#/sku/trail-shoe-black-m', '#/channels', '#/audit']) {
    await page.goto(base + '/' + hash);
    await page.waitForSelector('#view h1');
    await page.waitForTimeout(200);
    assert.equal(await page.locator('[data-mutating]').count(), 0, hash);
    assert.equal(await page.locator('button:text("Reconcile")').count(), 0, hash);
  }
  await shoot(page, 'channels-agent');
  const refused = await call('POST', '/v1/channels/shopify/reconcile', agentToken, {});
  assert.equal(refused.status, 403);
  assert.deepEqual(trouble, { violations: [], dialogs: [], errors: [] });
  await context.close();
});

test('/docs renders the OpenAPI document', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(base + '/docs');
  await page.waitForSelector('.swagger-ui .info .title');
  assert.match(await page.textContent('.swagger-ui .info .title'), /Truestock/);
  await page.waitForSelector('.opblock-summary-path');
  await shoot(page, 'docs');
  assert.deepEqual(errors, []);
  await context.close();
});

test('thousands of SKUs: the grid renders only the rows in view and scrolls to the last one', async (t) => {
  const count = 3000;
  const ids = Array.from({ length: count }, (_, i) => 'bulk-' + String(i).padStart(4, '0'));
  for (let i = 0; i < ids.length; i += 25) {
    const puts = await Promise.all(ids.slice(i, i + 25).map((id) => call('PUT', '/v1/skus/' + id, adminToken,
      { title: 'Bulk ' + id, price: { amount: 500, currency: 'USD' } })));
    assert.deepEqual(puts.map((put) => put.status).filter((status) => status !== 200), []);
  }
  const { context, page, trouble } = await signedIn(adminToken);
  const opened = performance.now();
  await page.waitForFunction((n) => {
    const match = /of (\d+) SKUs/.exec(document.getElementById('grid-count')?.textContent ?? '');
    return match && Number(match[1]) >= n;
  }, count + 324);
  t.diagnostic('signed in to ' + (count + 324) + ' SKUs x 6 channels in the grid: ' +
    Math.round(performance.now() - opened) + ' ms');
  const rendered = await page.locator('.grid-row').count();
  assert.ok(rendered > 0 && rendered < 100, 'rows in the DOM: ' + rendered);
  await page.evaluate(() => { const grid = document.getElementById('grid'); grid.scrollTop = grid.scrollHeight; });
  // The grid sorts by SKU id: the demo's last is trail-shoe-white-xxl, after every bulk- and hostile- id.
  await page.waitForSelector('[data-row="trail-shoe-white-xxl"]');
  const last = await page.evaluate(() => [...document.querySelectorAll('.grid-row')]
    .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).pop().dataset.row);
  assert.equal(last, 'trail-shoe-white-xxl');
  assert.ok(await page.locator('.grid-row').count() < 100);
  await page.fill('input[name="filter"]', 'bulk-2999');
  await page.waitForSelector('[data-sku="bulk-2999"][data-channel="amazon"]');
  assert.equal(await page.textContent('[data-sku="bulk-2999"][data-channel="amazon"]'), '0');
  assert.deepEqual(trouble, { violations: [], dialogs: [], errors: [] });
  await context.close();
});
