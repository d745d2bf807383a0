import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/shared/engine-events';
import { BrowserHarness } from '../support/browser-harness';
import { keyDown, keyUp, speakIntoMic } from '../support/devices';
import { testServerCommand } from '../support/mcp-test-server-command';
import { startRealtimeServer, type RealtimeTestServer } from '../support/realtime-server';
import { makeSpeech, type SpeechClip } from '../support/speech';

/**
 * The window in Simplified Chinese, in real Chromium against the real engine: the browser's
 * locale is zh-CN and the language setting is left at 'system', as on a Chinese desktop.
 * The screenshots (test-output/screenshots/zh-CN-*.png) are for a person to read: no English
 * left over, no clipped Chinese text.
 */
let harness: BrowserHarness;
let server: RealtimeTestServer;
let question: SpeechClip;
let port: number;

/** A loopback port with nothing listening: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  question = makeSpeech('Are you there?');
  port = await closedPort();
  server = await startRealtimeServer({ apiKey: 'test-key' });
  harness = await BrowserHarness.start({ settingsFile: { realtime: { url: server.url } }, apiKey: 'test-key', locale: 'zh-CN' });
  await harness.waitForState('idle', 45_000);
});

afterAll(async () => {
  await harness?.close();
  await server?.close();
});

describe('the window on a Chinese desktop', () => {
  it('follows the OS locale while the language setting is "system"', async () => {
    const { page } = harness;
    await expect(page.getByRole('button', { name: '设置', exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.status-bar__hint').textContent()).resolves.toBe('按住 F9 说话');
    await expect(page.locator('.empty').textContent()).resolves.toContain('按住 F9 说话，说完松开即可。');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await harness.screenshot('zh-CN-empty.png');
  });

  it('shows an engine error in Chinese, from its key, with the action in Chinese', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: '设置', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '设置' });
    await dialog.getByLabel('端点 URL').fill(`ws://127.0.0.1:${port}/v1/realtime`);
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await keyDown('F9');
    await speakIntoMic(question.wavPath);
    await keyUp('F9');
    const banner = page.locator('.banner--error[data-code="unreachable"]');
    await banner.waitFor({ timeout: 30_000 });
    await expect(banner.locator('.banner__message').textContent()).resolves.toBe(
      `Parley 无法连接 ws://127.0.0.1:${port}/v1/realtime 上的 Realtime 服务器。请在设置中检查 URL，并检查网络连接。`,
    );
    // waitFor, not isVisible: the engine's reconnect attempts redraw the banner (one per error, same code).
    await banner.getByRole('button', { name: '重试' }).waitFor();
    await banner.getByRole('button', { name: '关闭消息' }).waitFor();
    await harness.screenshot('zh-CN-error.png');
  });

  it('labels the conversation in Chinese', async () => {
    const { page } = harness;
    const lines: TranscriptEvent[] = [
      { type: 'transcript', role: 'user', itemId: 'zh-1', text: '明天上海的天气怎么样？', final: true },
      { type: 'transcript', role: 'assistant', itemId: 'zh-2', text: '明天上海多云，气温大约十八到二十四度，下午可能有小雨，出门记得带伞。', final: true },
      { type: 'transcript', role: 'user', itemId: 'zh-3', text: '', final: true, clipMs: 2400 },
      { type: 'transcript', role: 'assistant', itemId: 'zh-4', text: '好的，我来帮你查一下航班', final: true, interrupted: true },
      { type: 'transcript', role: 'assistant', itemId: 'zh-5', text: '这是一个很长的回答，服务器在长度上限处停止了', final: true, cutOff: true },
    ];
    harness.bridge.pushEvents(lines);
    await page.locator('[data-item-id="zh-5"]').waitFor();
    await expect(page.locator('[data-item-id="zh-1"] .message__author').textContent()).resolves.toBe('你');
    await expect(page.locator('[data-item-id="zh-3"] .message__clip').textContent()).resolves.toBe('语音片段 · 2.4 秒');
    await expect(page.locator('[data-item-id="zh-4"] .tag--interrupted').textContent()).resolves.toBe('已中断');
    await expect(page.locator('[data-item-id="zh-5"] .tag--cut-off').textContent()).resolves.toBe('已截断');
    await expect(page.locator('[data-item-id="zh-2"] .message__copy').getAttribute('aria-label')).resolves.toBe('复制 Parley 的消息');
    await expect(page.getByRole('button', { name: '清除对话' }).isVisible()).resolves.toBe(true);
    await harness.screenshot('zh-CN-conversation.png');
  });

  it('shows the settings dialog and its field errors in Chinese', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: '设置', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '设置' });
    await dialog.waitFor();
    await expect(dialog.getByLabel('界面语言').inputValue()).resolves.toBe('system');
    await harness.screenshot('zh-CN-settings.png');
    await dialog.locator('.settings__body').evaluate((body) => body.scrollTo({ top: body.scrollHeight }));
    await harness.screenshot('zh-CN-settings-end.png');

    await dialog.getByLabel('前置录音').fill('-50');
    await dialog.getByLabel('端点 URL').fill('http://127.0.0.1:9/v1/realtime');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await expect(dialog.locator('#pre-roll-error').textContent()).resolves.toBe('请输入不小于 0 的数');
    await expect(dialog.locator('#realtime-url-error').textContent()).resolves.toBe('请输入以 ws:// 或 wss:// 开头的完整 URL');
    await expect(dialog.locator('.settings__save-error').textContent()).resolves.toBe('有些设置需要修改，未保存任何内容。');
    await harness.screenshot('zh-CN-settings-invalid.png');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('switches to English live when the setting says so, banners included', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: '设置', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '设置' });
    await dialog.getByLabel('界面语言').selectOption('en');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(harness.settingsFile.current.language).toBe('en');

    await expect(page.getByRole('button', { name: 'Settings', exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.status-bar__hint').textContent()).resolves.toBe('Hold F9 to talk');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    // The banner shown in Chinese is redrawn from its key, in English: the very message the engine logged.
    const banner = page.locator('.banner--error[data-code="unreachable"] .banner__message');
    await expect(banner.textContent()).resolves.toMatch(/^Parley could not reach the Realtime server at ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime\. Check the URL/);
  });

  it('loads under its own CSP without a console error', () => {
    const errors = harness.pageErrors.filter((text) => !text.includes("'frame-ancestors' is ignored"));
    expect(errors).toEqual([]);
  });
});

/**
 * The History panel, Settings › Tools and an approval card with the language set to 简体中文 on
 * an English desktop (browser locale en-US): every word, dates included, must follow the
 * setting and not the OS. Real SQLite history, real tool layer with the stdio MCP test server.
 */
describe('History and Tools with the language set to 简体中文 on an English desktop', () => {
  const WEATHER_Q = '今天上海天气怎么样？';
  const WEATHER_A = '今天上海晴，气温大约二十度，适合出门散步。';
  let chosen: BrowserHarness;
  let exportDir: string;
  const panel = () => chosen.page.getByRole('dialog', { name: '历史记录' });
  const settings = () => chosen.page.getByRole('dialog', { name: '设置' });

  beforeAll(async () => {
    exportDir = mkdtempSync(join(tmpdir(), 'parley-zh-export-'));
    chosen = await BrowserHarness.start({
      settingsFile: { language: 'zh-CN', realtime: { url: server.url }, tools: { mcpServers: { shop: testServerCommand() } } },
      apiKey: 'test-key',
      locale: 'en-US',
      history: true,
      tools: true,
      // Stands in for the native save dialog, as in history.test.ts.
      chooseExportPath: async () => join(exportDir, 'weather.md'),
    });
    const store = chosen.history!.store;
    for (const [startedAt, lines] of [
      ['2026-11-20T09:15:00Z', [['user', 'What is the weather like in Lisbon today?'], ['assistant', 'Sunny and warm.']]],
      ['2026-11-21T10:00:00Z', [['user', WEATHER_Q], ['assistant', WEATHER_A], ['user', '谢谢']]],
    ] as const) {
      const id = store.createConversation(Date.parse(startedAt));
      lines.forEach(([role, text], index) => store.saveLine(id, { key: `${role}-${index}`, role, text, status: 'final' }, Date.parse(startedAt) + index * 1000));
    }
  });

  afterAll(async () => {
    await chosen?.close();
    if (exportDir) rmSync(exportDir, { recursive: true, force: true });
  });

  it('lists past conversations in Chinese, dated in Chinese although the OS is English', async () => {
    await chosen.page.getByRole('button', { name: '历史记录', exact: true }).click();
    const list = panel().getByRole('list', { name: '过去的对话' });
    await list.waitFor();
    await expect(list.locator('.history__title').allTextContents()).resolves.toEqual([WEATHER_Q, 'What is the weather like in Lisbon today?']);
    await expect(list.locator('.history__meta').first().textContent()).resolves.toMatch(/^2026年11月\d+日 \d{2}:\d{2} · 3 条消息$/);
    await expect(panel().getByRole('button', { name: '全部删除…' }).isVisible()).resolves.toBe(true);
    await expect(panel().getByRole('button', { name: '关闭历史记录' }).isVisible()).resolves.toBe(true);
    await chosen.screenshot('zh-CN-history-list.png');
  });

  it('searches with a Chinese query, and says in Chinese when nothing matches', async () => {
    const box = panel().getByLabel('搜索历史记录');
    await expect(box.getAttribute('placeholder')).resolves.toBe('搜索说过的内容');
    await box.fill('上海');
    await panel().getByRole('list', { name: '搜索结果' }).and(panel().locator('[data-query="上海"]')).waitFor();
    await expect(panel().locator('mark').allTextContents()).resolves.toEqual(['上海', '上海']);
    await chosen.screenshot('zh-CN-history-search.png');
    await box.fill('北京');
    await expect(panel().locator('.history__empty[data-query="北京"]').textContent()).resolves.toBe('没有与“北京”匹配的内容。');
    await box.fill('');
  });

  it('opens a conversation: its buttons, the copied transcript and the export status in Chinese', async () => {
    await panel().locator('.history__item').filter({ hasText: WEATHER_Q }).click();
    await panel().getByRole('heading', { name: WEATHER_Q }).waitFor();
    await expect(panel().locator('.history__meta').textContent()).resolves.toMatch(/^2026年11月\d+日 \d{2}:\d{2}$/);
    await expect(panel().locator('.message__author').first().textContent()).resolves.toBe('你');
    await panel().getByRole('button', { name: '全部复制' }).click();
    await expect(panel().getByRole('status').textContent()).resolves.toBe('已复制整个对话。');
    await expect(chosen.page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).resolves.toBe(`你：${WEATHER_Q}\n\nParley：${WEATHER_A}\n\n你：谢谢`);
    await panel().getByRole('button', { name: '导出 Markdown' }).click();
    await expect(panel().getByRole('status').filter({ hasText: 'weather.md' }).textContent()).resolves.toBe(`已保存到 ${join(exportDir, 'weather.md')}`);
    for (const name of ['← 所有对话', '导出 JSON', '删除', '继续对话']) await expect(panel().getByRole('button', { name }).isVisible()).resolves.toBe(true);
    await chosen.screenshot('zh-CN-history-conversation.png');
  });

  it('shows a keyed failure from main in Chinese in the panel, and the Keep history notice', async () => {
    await panel().getByRole('button', { name: '关闭历史记录' }).click();
    await chosen.page.getByRole('button', { name: '设置', exact: true }).click();
    await settings().getByLabel('保留历史记录').uncheck();
    await settings().getByRole('button', { name: '保存', exact: true }).click();
    await settings().waitFor({ state: 'detached' });
    await chosen.page.getByRole('button', { name: '历史记录', exact: true }).click();
    await expect(panel().locator('.history__off').textContent()).resolves.toBe('“保留历史记录”已关闭：你现在说的内容不会被保存。打开设置');
    await panel().locator('.history__item').filter({ hasText: WEATHER_Q }).click();
    await panel().getByRole('button', { name: '继续对话' }).click();
    await expect(panel().getByRole('alert').textContent()).resolves.toBe('“保留历史记录”已关闭，因此无法在该对话中继续添加新内容；请在设置中开启它，再继续该对话。');
    await chosen.screenshot('zh-CN-history-error.png');
    await panel().getByRole('button', { name: '关闭消息' }).click();
    await panel().getByRole('button', { name: '关闭历史记录' }).click();
    await panel().waitFor({ state: 'detached' });
  });

  it('shows Settings › Tools in Chinese, its own field check included', async () => {
    await chosen.page.getByRole('button', { name: '设置', exact: true }).click();
    const shop = settings().locator('.tool-server[data-server="shop"]');
    await shop.locator('.tool-state--ready').waitFor({ timeout: 30_000 });
    await expect(shop.locator('.tool-state').textContent()).resolves.toBe('就绪');
    await expect(shop.locator('[data-tool="place_order"] .tool-badge').textContent()).resolves.toBe('运行前询问');
    await expect(shop.locator('[data-tool="lookup_order"] .tool-badge').textContent()).resolves.toBe('只读');
    await expect(shop.getByRole('button', { name: '编辑' }).isVisible()).resolves.toBe(true);
    const builtIn = settings().locator('.tool-server[data-server="parley"]');
    await expect(builtIn.locator('.tool-server__name').textContent()).resolves.toBe('内置工具');
    await expect(builtIn.getByRole('switch', { name: '使用 内置工具' }).isChecked()).resolves.toBe(true);
    await settings().locator('legend', { hasText: '工具' }).evaluate((legend) => legend.scrollIntoView({ block: 'start' }));
    await chosen.screenshot('zh-CN-tools.png');

    const timeout = settings().getByLabel('工具最长运行时间');
    await timeout.fill('0.1');
    await timeout.press('Enter');
    await expect(settings().locator('.field--invalid .field__error').textContent()).resolves.toBe('请选择 1 到 600 秒之间的值。');
    await expect(settings().getByRole('button', { name: '添加服务器' }).isVisible()).resolves.toBe(true);
    await settings().getByLabel('添加或粘贴服务器').scrollIntoViewIfNeeded();
    await chosen.screenshot('zh-CN-tools-fields.png');
    await settings().getByRole('button', { name: '取消', exact: true }).click();
    await settings().waitFor({ state: 'detached' });
  });

  it('asks about a tool call in Chinese', async () => {
    const call = chosen.tools!.catalog.call('place_order', '{"item":"台灯"}', { callId: 'zh-call' });
    const card = chosen.page.getByRole('group', { name: '允许运行“shop”的 place_order 吗？' });
    await card.waitFor();
    await expect(chosen.page.getByRole('region', { name: '等待你答复的工具调用' }).isVisible()).resolves.toBe(true);
    await expect(card.getByLabel('参数').textContent()).resolves.toBe(JSON.stringify({ item: '台灯' }, null, 2));
    for (const name of ['允许一次', '始终允许此工具']) await expect(card.getByRole('button', { name }).isVisible()).resolves.toBe(true);
    await chosen.screenshot('zh-CN-approval.png');
    await card.getByRole('button', { name: '拒绝' }).click();
    await expect(call.then((result) => result.status)).resolves.toBe('denied');
    await expect(chosen.page.locator('.tool-call--denied .tool-call__summary').textContent()).resolves.toBe('未获允许：place_order · shop');
  });
});

describe('the first run on a Chinese desktop', () => {
  it('welcomes a user without a key in Chinese', async () => {
    const firstRun = await BrowserHarness.start({ apiKey: null, locale: 'zh-CN' });
    try {
      const { page } = firstRun;
      await page.getByRole('heading', { name: '欢迎使用 Parley' }).waitFor();
      await expect(page.locator('.welcome').getByRole('button', { name: '打开设置' }).isVisible()).resolves.toBe(true);
      await firstRun.screenshot('zh-CN-welcome.png');
    } finally {
      await firstRun.close();
    }
  });
});
