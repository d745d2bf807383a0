import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/shared/engine-events';
import { BrowserHarness } from '../support/browser-harness';
import { keyDown, keyUp, speakIntoMic } from '../support/devices';
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
    await expect(banner.getByRole('button', { name: '重试' }).isVisible()).resolves.toBe(true);
    await expect(banner.getByRole('button', { name: '关闭消息' }).isVisible()).resolves.toBe(true);
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
