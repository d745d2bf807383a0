import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { temporaryDataDir } from './history-fixtures';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

type Outcome = { status: number | null; stdout: string; stderr: string };

/** Runs the command the way a user types it; npm adds seconds on a busy machine, so only the first test goes through it. */
function historyThroughNpm(...args: string[]): Outcome {
  const result = spawnSync('npm', ['run', '-s', 'history', '--', ...args], { cwd: repo, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What the `history` script runs (`tsx src/main/history/history-cli.ts`), without npm in front. */
function history(...args: string[]): Outcome {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/history/history-cli.ts', ...args], { cwd: repo, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const jsonLines = (text: string): Array<Record<string, unknown>> =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('npm run history', { timeout: 180_000 }, () => {
  let data: ReturnType<typeof temporaryDataDir>;
  let chinese: number;
  let english: number;

  beforeAll(() => {
    data = temporaryDataDir();
    const store = ConversationStore.open(data.dir, { writer: true });
    chinese = store.createConversation(1000);
    store.saveLine(chinese, { key: 'u1', role: 'user', text: '今天天气怎么样？', status: 'final' });
    store.saveLine(chinese, { key: 'a1', role: 'assistant', text: '今天是晴天。', status: 'streaming' });
    english = store.createConversation(2000);
    store.saveLine(english, { key: 'u1', role: 'user', text: 'Remind me to buy bread', status: 'final' });
    store.saveLine(english, { key: 'a1', role: 'assistant', text: 'I will remind you', status: 'interrupted' });
    store.dispose();
  });
  afterAll(() => data.remove());

  it('list: one JSON line per conversation, newest first, --data-dir before the command', () => {
    const result = historyThroughNpm('--data-dir', data.dir, 'list');
    expect(result.status).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([
      { id: english, title: 'Remind me to buy bread', startedAt: new Date(2000).toISOString(), lineCount: 2 },
      { id: chinese, title: '今天天气怎么样？', startedAt: new Date(1000).toISOString(), lineCount: 2 },
    ]);
  });

  it('search: a line per match with the conversation id and a marked snippet, in Chinese too', () => {
    for (const query of ['天气', '天气怎么样']) {
      const matches = jsonLines(history('search', query, '--data-dir', data.dir).stdout);
      expect(matches.map((match) => [match.id, match.snippet]), query).toEqual([[chinese, `今天**${query}**${'天气怎么样？'.slice(query.length)}`]]);
    }
    expect(jsonLines(history('search', '今天', '--data-dir', data.dir).stdout).map((match) => match.role)).toEqual(['assistant', 'user']);
    expect(jsonLines(history('search', 'bread', '--data-dir', data.dir).stdout)[0]).toMatchObject({ id: english, snippet: 'Remind me to buy **bread**' });
  });

  it('search with no match prints nothing and succeeds', () => {
    expect(history('search', 'zebra', '--data-dir', data.dir)).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('export: JSON to a file and Markdown to stdout, --data-dir after the command', () => {
    const out = join(data.dir, 'export.json');
    const toFile = history('export', String(chinese), '--format', 'json', '--out', out, '--data-dir', data.dir);
    expect(toFile.status).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { id: number; lines: Array<{ role: string; status: string; text: string }> };
    expect(exported.id).toBe(chinese);
    expect(exported.lines.map((line) => [line.role, line.status])).toEqual([
      ['user', 'final'],
      ['assistant', 'incomplete'],
    ]);
    const markdown = history('export', String(english), '--format', 'md', '--data-dir', data.dir);
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toContain('**You:** Remind me to buy bread\n');
    expect(markdown.stdout).toContain('**Assistant:** I will remind you *(interrupted)*\n');
  });

  it('says in one sentence what is wrong: a missing id, an unwritable path, a mistyped command', () => {
    const missing = history('export', '999', '--data-dir', data.dir);
    expect(missing).toMatchObject({ status: 1, stdout: '', stderr: 'Conversation 999 is no longer in your history; it may have been deleted.\n' });
    const unwritable = history('export', String(english), '--out', join(data.dir, 'nope', 'x.md'), '--data-dir', data.dir);
    expect(unwritable.status).toBe(1);
    expect(unwritable.stderr).toMatch(/^Parley could not export to .*x\.md because its folder does not exist; choose another place\.\n$/);
    expect(history('export', 'abc', '--data-dir', data.dir)).toMatchObject({ status: 2, stderr: expect.stringMatching(/^export needs one conversation id/) });
    expect(history('export', String(english), '--format', 'pdf', '--data-dir', data.dir)).toMatchObject({ status: 2, stderr: expect.stringContaining('--format must be md or json') });
    expect(history('frobnicate', '--data-dir', data.dir)).toMatchObject({ status: 2, stderr: expect.stringContaining('Unknown command "frobnicate"') });
  });

  it('a folder with no history yet: list and search print nothing', () => {
    const empty = temporaryDataDir();
    try {
      expect(history('list', '--data-dir', empty.dir)).toEqual({ status: 0, stdout: '', stderr: '' });
      expect(history('search', 'anything', '--data-dir', empty.dir)).toEqual({ status: 0, stdout: '', stderr: '' });
    } finally {
      empty.remove();
    }
  });
});
