import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStore } from '../../src/main/history/conversation-store';
import { BrowserHarness } from '../support/browser-harness';
import { keyDown, keyUp, speakIntoMic } from '../support/devices';
import { startRealtimeServer, type RealtimeTestServer } from '../support/realtime-server';
import { makeSpeech, type SpeechClip } from '../support/speech';

/**
 * The History panel in real Chromium, against the real IPC handlers and a real SQLite history
 * store in the harness's temp directory. Conversations are laid down through the store itself
 * (talking them in would take minutes and prove nothing more about the panel); the last test
 * continues one with a real spoken turn, recorded by the real recorder.
 */
const LISBON_Q = 'What is the weather like in Lisbon today?';
const LISBON_A = 'It is sunny and warm in Lisbon, about twenty four degrees.';
const CHINESE_Q = '今天天气很好吗？';
const CHINESE_A = '是的，今天天气很好，适合去公园散步。';
const FOLLOW_UP = 'And what about tomorrow?';
const FOLLOW_UP_REPLY = 'Tomorrow looks cloudy, with a little rain.';

let server: RealtimeTestServer;
let harness: BrowserHarness;
let followUp: SpeechClip;
let exportDir: string;
/** What the stand-in save dialog answers next. */
let nextExportPath: string | null = null;
const ids: Record<'lisbon' | 'chinese' | 'milk' | 'markup', number> = { lisbon: 0, chinese: 0, milk: 0, markup: 0 };

function seed(store: ConversationStore, startedAt: string, lines: Array<['user' | 'assistant', string]>): number {
  const at = Date.parse(startedAt);
  const id = store.createConversation(at);
  lines.forEach(([role, text], index) => store.saveLine(id, { key: `${role}-${index}`, role, text, status: 'final' }, at + index * 1000));
  return id;
}

beforeAll(async () => {
  followUp = makeSpeech(FOLLOW_UP);
  const reply = makeSpeech(FOLLOW_UP_REPLY, 'en-gb');
  server = await startRealtimeServer({ apiKey: 'test-key', replyAudio: reply.pcm24k, replyText: FOLLOW_UP_REPLY, userTranscript: () => FOLLOW_UP, paceAudio: true });
  exportDir = mkdtempSync(join(tmpdir(), 'parley-export-'));
  harness = await BrowserHarness.start({
    settingsFile: { realtime: { url: server.url } },
    apiKey: 'test-key',
    history: true,
    // A browser test has no native save dialog to click through; this stands in for
    // dialog.showSaveDialog and answers with the path the test chose (null = cancelled).
    chooseExportPath: async () => nextExportPath,
  });
  await harness.waitForState('idle', 45_000);
  const store = harness.history!.store;
  ids.lisbon = seed(store, '2026-11-20T09:15:00Z', [['user', LISBON_Q], ['assistant', LISBON_A]]);
  ids.chinese = seed(store, '2026-11-21T10:00:00Z', [['user', CHINESE_Q], ['assistant', CHINESE_A]]);
  ids.milk = seed(store, '2026-11-22T18:30:00Z', [['user', 'Remind me to buy milk on the way home.'], ['assistant', 'I cannot set reminders yet, but I will say it again: buy milk.']]);
  ids.markup = seed(store, '2026-11-23T08:00:00Z', [['user', 'What does <img src=x onerror="document.title=1"> do?'], ['assistant', 'That img tag shows a picture.']]);
});

afterAll(async () => {
  await harness?.close();
  await server?.close();
  if (exportDir) rmSync(exportDir, { recursive: true, force: true });
});

const panel = () => harness.page.getByRole('dialog', { name: 'History' });

async function openHistory(): Promise<void> {
  await harness.page.getByRole('button', { name: 'History', exact: true }).click();
  await panel().getByRole('list', { name: 'Past conversations' }).waitFor();
}

async function search(query: string): Promise<string[]> {
  await panel().getByLabel('Search history').fill(query);
  await panel().locator(`[data-query="${query}"]`).waitFor();
  return panel().locator('mark').allTextContents();
}

describe('the History panel', () => {
  it('lists past conversations, newest first, with title, date and length', async () => {
    await openHistory();
    const items = panel().locator('.history__item');
    await expect(items.count()).resolves.toBe(4);
    await expect(items.locator('.history__title').allTextContents()).resolves.toEqual([
      'What does <img src=x onerror="document.title=1"> do?',
      'Remind me to buy milk on the way home.',
      CHINESE_Q,
      LISBON_Q,
    ]);
    await expect(items.nth(3).locator('.history__meta').textContent()).resolves.toMatch(/2026.*· 2 lines$/);
    await harness.screenshot('history-list.png');
  });

  it('highlights matches for an English query, ignoring case', async () => {
    const marks = await search('lisbon');
    expect(marks.length).toBeGreaterThanOrEqual(2);
    for (const mark of marks) expect(mark).toBe('Lisbon');
    await expect(panel().locator('.history__item').count()).resolves.toBe(2);
  });

  it('finds Chinese text with a two-character and a longer query', async () => {
    // Two characters go through the LIKE scan, four through the trigram index: both must match.
    const short = await search('天气');
    expect(short).toEqual(['天气', '天气']);
    await expect(panel().locator('.history__snippet').first().textContent()).resolves.toContain('今天天气很好');
    await harness.screenshot('history-search-chinese.png');
    const longer = await search('天气很好');
    expect(longer).toEqual(['天气很好', '天气很好']);
  });

  it('shows stored text as text, never as markup', async () => {
    const marks = await search('img');
    expect(marks).toEqual(['img', 'img']);
    await expect(panel().locator('img').count()).resolves.toBe(0);
    await expect(harness.page.title()).resolves.not.toBe('1');
    await expect(panel().locator('.history__snippet').allTextContents()).resolves.toContain('What does <img src=x onerror="document.title=1"> do?');
    await expect(search('no such words anywhere')).resolves.toEqual([]);
    await expect(panel().locator('.history__empty').textContent()).resolves.toBe('Nothing said matches “no such words anywhere”.');
    await panel().getByLabel('Search history').fill('');
    await panel().getByRole('list', { name: 'Past conversations' }).waitFor();
  });

  it('opens a conversation read-only and exports it to Markdown and JSON', async () => {
    await panel().locator('.history__item').filter({ hasText: LISBON_Q }).click();
    await panel().getByRole('heading', { name: LISBON_Q }).waitFor();
    await expect(panel().locator('.message__text').allTextContents()).resolves.toEqual([LISBON_Q, LISBON_A]);

    nextExportPath = join(exportDir, 'lisbon.md');
    await panel().getByRole('button', { name: 'Export Markdown' }).click();
    await expect(panel().getByRole('status').filter({ hasText: 'Saved to' }).textContent()).resolves.toBe(`Saved to ${nextExportPath}`);
    const markdown = readFileSync(nextExportPath, 'utf8');
    expect(markdown).toContain(`**You:** ${LISBON_Q}`);
    expect(markdown).toContain(`**Assistant:** ${LISBON_A}`);
    await harness.screenshot('history-export.png');

    nextExportPath = join(exportDir, 'lisbon.json');
    await panel().getByRole('button', { name: 'Export JSON' }).click();
    await panel().getByRole('status').filter({ hasText: 'lisbon.json' }).waitFor();
    const exported = JSON.parse(readFileSync(nextExportPath, 'utf8')) as { id: number; lines: Array<{ role: string; text: string; status: string }> };
    expect(exported.id).toBe(ids.lisbon);
    expect(exported.lines.map(({ role, text, status }) => ({ role, text, status }))).toEqual([
      { role: 'user', text: LISBON_Q, status: 'final' },
      { role: 'assistant', text: LISBON_A, status: 'final' },
    ]);
  });

  it('says so when an export path cannot be written, and when the dialog is cancelled writes nothing', async () => {
    nextExportPath = join(exportDir, 'no-such-folder', 'lisbon.md');
    await panel().getByRole('button', { name: 'Export Markdown' }).click();
    await expect(panel().getByRole('alert').textContent()).resolves.toBe(`Parley could not export to ${nextExportPath} because its folder does not exist; choose another place.`);

    nextExportPath = null;
    const exports = () => harness.bridge.calls.filter((call) => call.route === 'history.export').length;
    const exportsBefore = exports();
    await panel().getByRole('button', { name: 'Export JSON' }).click();
    await expect.poll(exports).toBe(exportsBefore + 1);
    // The answer to the call has reached the page once the buttons are enabled again.
    await panel().getByRole('button', { name: 'Export JSON' }).and(panel().locator(':enabled')).waitFor();
    await expect(panel().getByRole('alert').count()).resolves.toBe(0);
    await expect(panel().getByRole('status').filter({ hasText: 'Saved to' }).count()).resolves.toBe(0);
    await panel().getByRole('button', { name: '← All conversations' }).click();
  });

  it('gives a sentence for a conversation deleted while it is shown', async () => {
    await panel().locator('.history__item').filter({ hasText: 'buy milk' }).click();
    await panel().getByRole('heading', { name: 'Remind me to buy milk on the way home.' }).waitFor();
    // Deleted elsewhere (another window, the CLI) while the panel shows it.
    harness.history!.store.delete(ids.milk);
    nextExportPath = join(exportDir, 'milk.md');
    await panel().getByRole('button', { name: 'Export Markdown' }).click();
    await expect(panel().getByRole('alert').textContent()).resolves.toBe(`Conversation ${ids.milk} is no longer in your history; it may have been deleted.`);
    await panel().getByRole('button', { name: 'Continue' }).click();
    await expect(panel().getByRole('alert').textContent()).resolves.toBe(`Conversation ${ids.milk} is no longer in your history; it may have been deleted.`);
    expect(() => readFileSync(nextExportPath!, 'utf8')).toThrow();
    await panel().getByRole('button', { name: 'Dismiss' }).click();
    await panel().getByRole('button', { name: '← All conversations' }).click();
  });

  it('deletes one conversation', async () => {
    await panel().locator('.history__item').filter({ hasText: 'img' }).click();
    await panel().getByRole('button', { name: 'Delete' }).click();
    await panel().getByRole('list', { name: 'Past conversations' }).waitFor();
    await expect(panel().locator('.history__title').allTextContents()).resolves.toEqual([CHINESE_Q, LISBON_Q]);
    expect(harness.history!.store.list().map((conversation) => conversation.id)).toEqual([ids.chinese, ids.lisbon]);
  });
});

describe('continuing a conversation', () => {
  it('shows its lines in the window, gives the model its words, and a new spoken turn is stored at its end', async () => {
    const { page } = harness;
    await panel().locator('.history__item').filter({ hasText: LISBON_Q }).click();
    await panel().getByRole('button', { name: 'Continue' }).click();
    await panel().waitFor({ state: 'detached' });
    await expect(page.locator('.app-main .message__text').allTextContents()).resolves.toEqual([LISBON_Q, LISBON_A]);
    expect(harness.history!.recorder.conversationId).toBe(ids.lisbon);

    await keyDown('F9');
    await speakIntoMic(followUp.wavPath);
    await keyUp('F9');
    await page.locator('.app-main .message--assistant').filter({ hasText: FOLLOW_UP_REPLY }).waitFor({ timeout: 30_000 });
    await harness.waitForState('idle');
    // The model was given the continued conversation's words before the new question.
    const events = server.clientEvents;
    const created = events.flatMap((event, index) => (event.type === 'conversation.item.create' ? [{ index, item: event.item }] : []));
    expect(created.slice(-2).map(({ item }) => item)).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: LISBON_Q }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: LISBON_A }] },
    ]);
    const lastCommit = events.map((event) => event.type).lastIndexOf('input_audio_buffer.commit');
    expect(created.at(-1)!.index).toBeLessThan(lastCommit);
    harness.history!.recorder.flush();
    const stored = harness.history!.store.get(ids.lisbon).lines.map((line) => [line.role, line.text]);
    expect(stored).toEqual([
      ['user', LISBON_Q],
      ['assistant', LISBON_A],
      ['user', FOLLOW_UP],
      ['assistant', FOLLOW_UP_REPLY],
    ]);
  });
});

describe('Keep history and Delete all', () => {
  it('turned off in Settings, stops the recorder and says so in the panel', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Keep history').uncheck();
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.waitFor({ state: 'detached' });
    expect(harness.settingsFile.current.keepHistory).toBe(false);

    await openHistory();
    await expect(panel().locator('.history__off').textContent()).resolves.toContain('nothing you say now is being kept');
    await harness.screenshot('history-off.png');
  });

  it('deletes everything only after a confirm step', async () => {
    await panel().getByRole('button', { name: 'Delete all…' }).click();
    const confirm = panel().getByRole('group', { name: 'Delete all history?' });
    await confirm.getByRole('button', { name: 'Keep' }).click();
    expect(harness.history!.store.list()).toHaveLength(2);

    await panel().getByRole('button', { name: 'Delete all…' }).click();
    await confirm.getByRole('button', { name: 'Delete all' }).click();
    await expect(panel().locator('.history__empty').textContent()).resolves.toBe('No conversations yet.');
    expect(harness.history!.store.list()).toEqual([]);
    expect(harness.historyNotices).toEqual([]);
    // Chromium's note about frame-ancestors in a <meta> CSP is about the page, not this panel.
    expect(harness.pageErrors.filter((text) => !text.includes("'frame-ancestors' is ignored"))).toEqual([]);
  });
});

describe('in Chinese', () => {
  it('exports Markdown and says a history problem in the chosen language', async () => {
    const { page } = harness;
    const id = seed(harness.history!.store, '2026-11-24T08:00:00Z', [['user', CHINESE_Q], ['assistant', CHINESE_A]]);
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Interface language').selectOption('zh-CN');
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: '历史记录', exact: true }).click();
    const chinesePanel = page.getByRole('dialog', { name: '历史记录' });
    await chinesePanel.locator('.history__item').filter({ hasText: CHINESE_Q }).click();
    nextExportPath = join(exportDir, 'chinese.md');
    await chinesePanel.getByRole('button', { name: '导出 Markdown' }).click();
    await chinesePanel.getByRole('status').filter({ hasText: 'chinese.md' }).waitFor();
    const markdown = readFileSync(nextExportPath, 'utf8');
    expect(markdown).toContain(`**你：** ${CHINESE_Q}`);
    expect(markdown).toContain(`**助手：** ${CHINESE_A}`);

    // Deleted elsewhere while shown: the store's sentence, in the window's language.
    harness.history!.store.delete(id);
    await chinesePanel.getByRole('button', { name: '导出 Markdown' }).click();
    await expect(chinesePanel.getByRole('alert').textContent()).resolves.toBe(`对话 ${id} 已不在你的历史记录中；它可能已被删除。`);
    await harness.screenshot('history-zh-CN-problem.png');
  });
});
