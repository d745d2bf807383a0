import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallResult } from '../../src/main/tools/tool-catalog';
import { BrowserHarness } from '../support/browser-harness';
import { testServerCommand } from '../support/mcp-test-server-command';

/**
 * The Tools settings and the approval card, in real Chromium, against the real IPC handlers,
 * the real ToolCatalog (createWindowTools, as the app builds it) and the real stdio MCP test
 * server. Tool calls are started from the test with `catalog.call`, exactly as a backend does
 * when the model asks for one; the window's answer is what lets them run.
 */
const TOKEN = 'shop-token-4f9a2c';
let harness: BrowserHarness;

beforeAll(async () => {
  const shop = { ...testServerCommand(), env: { SHOP_TOKEN: TOKEN } };
  harness = await BrowserHarness.start({ apiKey: null, tools: true, settingsFile: { tools: { mcpServers: { shop } } } });
});

afterAll(async () => {
  await harness?.close();
});

function catalog() {
  if (!harness.tools) throw new Error('the harness was started without tools');
  return harness.tools.catalog;
}

async function openTools() {
  const { page } = harness;
  await page.getByRole('button', { name: 'Settings' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  return dialog;
}

describe('the Tools section', () => {
  it("lists the built-in tools and the server's tools with their live status", async () => {
    const dialog = await openTools();
    const shop = dialog.locator('.tool-server[data-server="shop"]');
    await shop.locator('.tool-state--ready').waitFor({ timeout: 30_000 });
    await expect(shop.locator('[data-tool]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-tool')))).resolves.toEqual(
      catalog().servers().find((server) => server.name === 'shop')!.tools.map((tool) => tool.originalName),
    );
    await expect(shop.locator('[data-tool="place_order"] .tool-badge').textContent()).resolves.toBe('asks first');
    await expect(shop.locator('[data-tool="lookup_order"] .tool-badge').textContent()).resolves.toBe('read-only');
    const builtIn = dialog.locator('.tool-server[data-server="parley"]');
    await expect(builtIn.locator('.tool-state').textContent()).resolves.toBe('Ready');
    await expect(builtIn.locator('[data-tool]').count()).resolves.toBeGreaterThan(0);
    await builtIn.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await harness.screenshot('tools-section.png');
  });

  it('shows a sentence next to the box for pasted JSON that is not valid, and saves nothing', async () => {
    const dialog = harness.page.getByRole('dialog', { name: 'Settings' });
    const before = readFileSync(harness.settingsFile.path, 'utf8');
    const box = dialog.getByLabel('Add or paste servers');
    await box.fill('{"mcpServers": {"files": {"command": ""}}');
    await dialog.getByRole('button', { name: 'Add servers' }).click();
    const error = dialog.locator('#mcp-servers-json-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/not valid JSON.*line 1/);
    await box.fill('{"mcpServers": {"files": {"command": ""}}}');
    await dialog.getByRole('button', { name: 'Add servers' }).click();
    await expect(error.textContent()).resolves.toBe('MCP server "files": "command" must be a non-empty text.');
    await expect(box.getAttribute('aria-invalid')).resolves.toBe('true');
    await harness.screenshot('tools-paste-error.png');
    expect(readFileSync(harness.settingsFile.path, 'utf8')).toBe(before);
  });

  it('never shows a secret, and saving a server with its hidden value keeps the stored one', async () => {
    const dialog = harness.page.getByRole('dialog', { name: 'Settings' });
    await dialog.locator('.tool-server[data-server="shop"]').getByRole('button', { name: 'Edit' }).click();
    const box = dialog.getByLabel('Add or paste servers');
    const shown = await box.inputValue();
    expect(shown).toContain('"SHOP_TOKEN": "••••••••"');
    expect(await harness.page.content()).not.toContain(TOKEN);
    await dialog.getByRole('button', { name: 'Add servers' }).click();
    await expect.poll(() => box.inputValue()).toBe('');
    await expect(dialog.locator('#mcp-servers-json-error').count()).resolves.toBe(0);
    const saved = JSON.parse(readFileSync(harness.settingsFile.path, 'utf8')) as { tools: { mcpServers: { shop: { env: Record<string, string> } } } };
    expect(saved.tools.mcpServers.shop.env).toEqual({ SHOP_TOKEN: TOKEN });
    await dialog.locator('.tool-server[data-server="shop"] .tool-state--ready').waitFor({ timeout: 30_000 });
  });

  it('switching a tool off takes it from the tools declared to the model, and saves it', async () => {
    const dialog = harness.page.getByRole('dialog', { name: 'Settings' });
    expect(catalog().realtimeTools().map((tool) => tool.name)).toContain('lookup_order');
    const toggle = dialog.locator('.tool-server[data-server="shop"] [data-tool="lookup_order"]').getByRole('switch');
    await toggle.click();
    // The switch shows what main saved and applied, once its answer arrives.
    await expect.poll(() => toggle.isChecked()).toBe(false);
    expect(catalog().realtimeTools().map((tool) => tool.name)).not.toContain('lookup_order');
    expect(harness.settingsFile.current.tools.disabledTools).toEqual(['shop/lookup_order']);
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    expect(catalog().realtimeTools().map((tool) => tool.name)).toContain('lookup_order');
  });

  it('sets how long a tool may run, and refuses a value out of bounds in words', async () => {
    const dialog = harness.page.getByRole('dialog', { name: 'Settings' });
    const field = dialog.getByLabel('Longest a tool may run');
    await expect(field.inputValue()).resolves.toBe('30');
    await field.fill('45');
    await field.press('Enter');
    await expect.poll(() => harness.settingsFile.current.tools.callTimeoutMs).toBe(45_000);
    // Enter applied the field and left the dialog open.
    await expect(dialog.isVisible()).resolves.toBe(true);
    await field.fill('0.1');
    await field.press('Enter');
    await expect(dialog.locator('.field--invalid .field__error').textContent()).resolves.toBe('Choose between 1 and 600 seconds.');
    expect(harness.settingsFile.current.tools.callTimeoutMs).toBe(45_000);
    await dialog.getByRole('button', { name: 'Close settings' }).click();
  });
});

describe('the approval card', () => {
  it('lets a call run after "Allow once"', async () => {
    const { page } = harness;
    const call = catalog().call('place_order', '{"item":"lamp"}', { callId: 'c1' });
    const card = page.locator('.approval-card[data-call-id="c1"]');
    await card.waitFor();
    await expect(card.locator('.approval-card__title').textContent()).resolves.toMatch(/Allow place_order from “shop”\?/);
    await expect(card.locator('pre').textContent()).resolves.toBe(JSON.stringify({ item: 'lamp' }, null, 2));
    await harness.screenshot('approval-card.png');
    // The keyboard cannot answer: a focused button's Enter (what a push-to-talk key could press) does nothing.
    await card.getByRole('button', { name: 'Allow once' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    await expect(card.count()).resolves.toBe(1);
    await card.getByRole('button', { name: 'Allow once' }).click();
    const result: ToolCallResult = await call;
    expect(result.status).toBe('done');
    expect(result.output).toContain('Placed an order for lamp.');
    await expect(card.count()).resolves.toBe(0);
    await page.locator('.tool-call--done').filter({ hasText: 'place_order' }).waitFor();
  });

  it('declines a call after "Deny", and the model hears that the user declined', async () => {
    const { page } = harness;
    const call = catalog().call('place_order', '{"item":"sofa"}', { callId: 'c2' });
    const card = page.locator('.approval-card[data-call-id="c2"]');
    await card.getByRole('button', { name: 'Deny' }).click();
    const result = await call;
    expect(result.status).toBe('denied');
    expect(result.output).toMatch(/user declined/);
    await page.locator('.tool-call--denied').filter({ hasText: 'place_order' }).waitFor();
    await expect(card.count()).resolves.toBe(0);
  });

  it('withdraws the card when the call is cancelled', async () => {
    const { page } = harness;
    const cancel = new AbortController();
    const call = catalog().call('place_order', '{"item":"desk"}', { callId: 'c3', signal: cancel.signal });
    const card = page.locator('.approval-card[data-call-id="c3"]');
    await card.waitFor();
    cancel.abort();
    await expect(call.then((result) => result.status)).resolves.toBe('cancelled');
    await card.waitFor({ state: 'detached' });
  });

  it('remembers "Always allow this tool": the next call runs without a card', async () => {
    const { page } = harness;
    const first = catalog().call('place_order', '{"item":"chair"}', { callId: 'c4' });
    await page.locator('.approval-card[data-call-id="c4"]').getByRole('button', { name: 'Always allow this tool' }).click();
    await expect(first.then((result) => result.status)).resolves.toBe('done');
    await expect.poll(() => harness.settingsFile.current.tools.alwaysAllowed).toEqual(['shop/place_order']);
    await expect(catalog().call('place_order', '{"item":"rug"}', { callId: 'c5' }).then((result) => result.status)).resolves.toBe('done');
    await expect(page.locator('.approval-card').count()).resolves.toBe(0);
    // Chromium's notice about a meta-delivered CSP directive is not a page error.
    expect(harness.pageErrors.filter((text) => !text.includes("'frame-ancestors' is ignored"))).toEqual([]);
  });
});
