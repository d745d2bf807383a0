import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { conversationToMarkdown, toExportedConversation } from '../../../src/main/history/history-export';
import { HistoryRecorder } from '../../../src/main/history/history-recorder';
import { EventSource, temporaryDataDir } from './history-fixtures';

const child = fileURLToPath(new URL('./streaming-writer-child.ts', import.meta.url));

let data: ReturnType<typeof temporaryDataDir>;
beforeEach(() => {
  data = temporaryDataDir();
});
afterEach(() => data.remove());

it('after kill -9 mid-reply, the restarted store has every final line and the reply marked incomplete', async () => {
  const writer = spawn(process.execPath, ['--import', 'tsx', child, data.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => writer.once('exit', (_code, signal) => resolve(signal)));
  const lines = createInterface({ input: writer.stdout });
  const report = await new Promise<{ conversationId: number; stored: string }>((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line) as { conversationId: number; stored: string }));
    writer.once('exit', (code) => reject(new Error(`the writer exited (${code}) before a streaming write`)));
  });
  writer.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');

  // The restart: the engine opens the store and starts its recorder, as Parley does.
  const store = ConversationStore.open(data.dir, { writer: true });
  const recorder = new HistoryRecorder({ store, subscribe: new EventSource().subscribe, keepHistory: true });
  try {
    const conversation = store.get(report.conversationId);
    expect(conversation.lines.map((line) => [line.role, line.status])).toEqual([
      ['user', 'final'],
      ['assistant', 'incomplete'],
    ]);
    expect(conversation.lines[0]!.text).toBe('Tell me a long story.');
    // At least what the writer saw stored before the kill; maybe one throttled write more.
    expect(conversation.lines[1]!.text.startsWith(report.stored)).toBe(true);
    expect(toExportedConversation(conversation).lines.map((line) => line.status)).toEqual(['final', 'incomplete']);
    expect(conversationToMarkdown(conversation)).toContain(`**Assistant:** ${conversation.lines[1]!.text} *(incomplete)*`);
  } finally {
    recorder.dispose();
    store.dispose();
  }
});
