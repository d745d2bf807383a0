import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/shared/engine-events';
import { BrowserHarness } from '../support/browser-harness';
import { keyDown, keyUp, speakIntoMic } from '../support/devices';
import { startRealtimeServer, type RealtimeTestServer } from '../support/realtime-server';
import { makeSpeech, type SpeechClip } from '../support/speech';

/**
 * The conversation view in real Chromium, driven by the real engine: a real F9 press on
 * Xvfb, speech played into PulseAudio's virtual mic, the loopback Realtime server answering.
 */
const QUESTION = 'What is the weather like in Lisbon today?';
const REPLY = 'It is sunny and warm in Lisbon, about twenty four degrees.';
let server: RealtimeTestServer;
let harness: BrowserHarness;
let question: SpeechClip;

beforeAll(async () => {
  question = makeSpeech(QUESTION);
  const reply = makeSpeech(REPLY, 'en-gb');
  server = await startRealtimeServer({ apiKey: 'test-key', replyAudio: reply.pcm24k, replyText: REPLY, userTranscript: () => QUESTION, paceAudio: true });
  harness = await BrowserHarness.start({ settingsFile: { realtime: { url: server.url } }, apiKey: 'test-key' });
  await harness.waitForState('idle', 45_000);
});

afterAll(async () => {
  await harness?.close();
  await server?.close();
});

/** Holds F9 while the question plays into the mic, as a person would. */
async function speakTurn(): Promise<void> {
  await keyDown('F9');
  await speakIntoMic(question.wavPath);
  await keyUp('F9');
}

describe('a push-to-talk turn in the window', () => {
  it('shows the state change and both sides of the transcript', async () => {
    const { page } = harness;
    const statesBefore = (await harness.states()).length;
    await speakTurn();
    await harness.waitForState('speaking');
    await harness.screenshot('turn-in-progress.png');

    const reply = page.locator('.message--assistant').filter({ hasText: REPLY });
    await reply.waitFor({ timeout: 30_000 });
    await harness.waitForState('idle');
    await expect(page.locator('.message--user .message__text').last().textContent()).resolves.toBe(QUESTION);
    await expect(reply.getAttribute('class')).resolves.not.toContain('message--streaming');

    const states = (await harness.states()).slice(statesBefore);
    const listening = states.indexOf('listening');
    const working = states.findIndex((state, index) => index > listening && (state === 'thinking' || state === 'speaking'));
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(working).toBeGreaterThan(listening);
    expect(states.at(-1)).toBe('idle');
  });
});

describe('a long conversation', () => {
  it('stays at the latest turn while the reader is at the bottom, and leaves a reader who scrolled up alone', async () => {
    const { page } = harness;
    // Hundreds of earlier turns, pushed through the bridge's event batcher (the same path the
    // engine's events take); talking through 300 real turns would take most of an hour.
    const history: TranscriptEvent[] = [];
    for (let turn = 0; turn < 150; turn++) {
      history.push({ type: 'transcript', role: 'user', itemId: `history-user-${turn}`, text: `Question number ${turn + 1}: what should I know about topic ${turn + 1}?`, final: true });
      history.push({
        type: 'transcript',
        role: 'assistant',
        itemId: `history-assistant-${turn}`,
        text: `Here is a short answer to question ${turn + 1}. `.repeat(1 + (turn % 4)).trim(),
        final: true,
      });
    }
    harness.bridge.pushEvents(history);
    await page.locator('[data-item-id="history-assistant-149"]').waitFor();
    await expect(page.locator('.message').count()).resolves.toBeGreaterThanOrEqual(300);
    await expect(distanceFromBottom()).resolves.toBeLessThan(4);
    await expect(page.getByRole('button', { name: 'Jump to latest' }).count()).resolves.toBe(0);
    await harness.screenshot('long-conversation.png');

    // A reader scrolls up to reread; new text arrives; their place is kept.
    await page.locator('.conversation__scroller').evaluate((element) => element.scrollTo({ top: 0 }));
    const jump = page.getByRole('button', { name: 'Jump to latest' });
    await jump.waitFor();
    harness.bridge.pushEvents([{ type: 'transcript', role: 'assistant', itemId: 'late-line', text: 'A late addition.', final: true }]);
    await page.locator('[data-item-id="late-line"]').waitFor({ state: 'attached' });
    await expect(page.locator('.conversation__scroller').evaluate((element) => element.scrollTop)).resolves.toBe(0);

    await jump.click();
    await jump.waitFor({ state: 'detached' });
    await expect(distanceFromBottom()).resolves.toBeLessThan(4);
  });

  it('copies a message to the clipboard', async () => {
    const { page } = harness;
    const line = page.locator('[data-item-id="history-user-149"]');
    await line.hover();
    await line.getByRole('button', { name: 'Copy your message' }).click();
    await expect(page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).resolves.toBe(
      'Question number 150: what should I know about topic 150?',
    );
  });
  it('clears the conversation after a confirmation', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await page.getByRole('group', { name: 'Clear the conversation?' }).getByRole('button', { name: 'Clear', exact: true }).click();
    await page.locator('.message').first().waitFor({ state: 'detached' });
    expect(harness.engine.lines).toEqual([]);
    await expect(page.locator('.empty').textContent()).resolves.toContain('Hold F9 and speak');
  });
});

function distanceFromBottom(): Promise<number> {
  return harness.page
    .locator('.conversation__scroller')
    .evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
}
