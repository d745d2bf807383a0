import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHarness } from '../support/browser-harness';
import { keyDown, keyUp, speakIntoMic } from '../support/devices';
import { makeSpeech, type SpeechClip } from '../support/speech';

/**
 * First run, the settings form and error banners, in real Chromium against the real engine
 * and IPC handlers. Starts as a new user would: no key, the default OpenAI endpoint, and a
 * settings file that cannot be read.
 */
let harness: BrowserHarness;
let question: SpeechClip;

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
  harness = await BrowserHarness.start({ settingsFile: '{ this is not json', apiKey: null });
});

afterAll(async () => {
  await harness?.close();
});

describe('the window on first run', () => {
  it('guides a user without a key to settings, and reports the unreadable settings file once', async () => {
    const { page } = harness;
    await expect(page.getByRole('heading', { name: 'Welcome to Parley' }).isVisible()).resolves.toBe(true);
    const notice = page.locator('.banner--notice');
    await expect(notice.textContent()).resolves.toMatch(/settings/i);
    await notice.getByRole('button', { name: 'Dismiss notice' }).click();
    await expect(notice.count()).resolves.toBe(0);
    // The hotkey in words, from the settings.
    await expect(page.locator('.status-bar__hint').textContent()).resolves.toBe('Hold F9 to talk');
  });
});

describe('the settings form', () => {
  it('rejects bad input with a message next to each field, and saves nothing', async () => {
    const { page } = harness;
    const savedBefore = readFileSync(harness.settingsFile.path, 'utf8');
    await page.locator('.welcome').getByRole('button', { name: 'Open settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    await harness.screenshot('settings.png');

    await dialog.getByLabel('Endpoint URL').fill('http://127.0.0.1:9/v1/realtime');
    await dialog.getByLabel('Pre-roll').fill('-50');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();

    await expect(dialog.locator('#realtime-url-error').textContent()).resolves.toBe('Enter a full URL starting with ws:// or wss://');
    await expect(dialog.locator('#pre-roll-error').textContent()).resolves.toBe('Enter 0 or more');
    await expect(dialog.getByRole('alert').first().textContent()).resolves.toMatch(/Nothing was saved/);
    // The first bad field takes focus, so a keyboard user lands on it.
    await expect(page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).resolves.toBe(
      'realtime-url',
    );
    await harness.screenshot('settings-invalid.png');

    expect(harness.bridge.calls.map((call) => call.route)).not.toContain('settings.save');
    expect(readFileSync(harness.settingsFile.path, 'utf8')).toBe(savedBefore);
    expect(harness.settingsFile.current.capture.preRollMs).toBe(300);

    // Escape closes the dialog and drops the draft.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('saves a key without ever showing it again', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('API key').fill('sk-test-secret-123');
    await dialog.getByRole('button', { name: 'Save key' }).click();
    await dialog.getByText('A key is saved.').waitFor();
    const html = await page.content();
    expect(html).not.toContain('sk-test-secret-123');
    await expect(dialog.getByRole('button', { name: 'Replace' }).isVisible()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});

describe('errors', () => {
  it('shows an unreachable server as a sentence with the action to take', async () => {
    const { page } = harness;
    const port = await closedPort();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('Endpoint URL').fill(`ws://127.0.0.1:${port}/v1/realtime`);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(harness.settingsFile.current.realtime.url).toBe(`ws://127.0.0.1:${port}/v1/realtime`);

    // Connecting ahead of time fails quietly (it retries); a turn that cannot be sent is what the user hears about.
    await keyDown('F9');
    await speakIntoMic(question.wavPath);
    await keyUp('F9');

    const banner = page.locator(`.banner--error[data-code="unreachable"]`).filter({ hasText: `127.0.0.1:${port}` });
    await banner.waitFor({ timeout: 30_000 });
    const message = await banner.locator('.banner__message').textContent();
    expect(message).toMatch(/^Parley could not reach the Realtime server at .+\. Check the URL in Settings/);
    await expect(banner.getByRole('button', { name: 'Retry' }).isVisible()).resolves.toBe(true);
    await harness.screenshot('error.png');

    await banner.getByRole('button', { name: 'Dismiss message' }).click();
    await expect(banner.count()).resolves.toBe(0);
  });

  it('loads under its own CSP without a console error', () => {
    // Chromium notes that frame-ancestors means nothing in a meta tag; the policy string is
    // shared with the response header the main process sends, where it does count.
    const errors = harness.pageErrors.filter((text) => !text.includes("'frame-ancestors' is ignored"));
    expect(errors).toEqual([]);
  });
});
