/**
 * `npm run -s history -- list|search TEXT|export ID --format md|json [--out FILE] [--data-dir DIR]`:
 * the conversation history from a terminal. Results go to stdout (JSON lines, or the export);
 * problems go to stderr as one sentence, with exit status 1 (2 for a mistyped command line).
 */
import { existsSync } from 'node:fs';
import { ConversationStore } from './conversation-store';
import { parseHistoryArgs, HISTORY_USAGE, type HistoryCommand } from './history-cli-args';
import { HistoryError } from './history-error';
import { formatConversation, writeExport } from './history-export';
import { defaultDataDir, historyFilePath } from './history-location';

async function run(command: Exclude<HistoryCommand, { kind: 'help' | 'invalid' }>): Promise<void> {
  const dataDir = command.dataDir ?? defaultDataDir();
  if (!existsSync(historyFilePath(dataDir))) {
    // Nothing recorded yet: an empty list, no matches; only export has something to miss.
    if (command.kind === 'export') throw new HistoryError('missing', { key: 'errors.history.noHistoryYet', params: { id: command.id, folder: dataDir } });
    return;
  }
  const store = ConversationStore.open(dataDir, { busyTimeoutMs: 3000 });
  try {
    if (store.notice) process.stderr.write(`${store.notice.message}\n`);
    if (command.kind === 'list') {
      for (const summary of store.list()) {
        writeLine({ id: summary.id, title: summary.title, startedAt: new Date(summary.startedAt).toISOString(), lineCount: summary.lineCount });
      }
    } else if (command.kind === 'search') {
      for (const match of store.search(command.query, 200)) {
        writeLine({ id: match.conversationId, title: match.title, role: match.role, at: new Date(match.at).toISOString(), snippet: match.snippet });
      }
    } else {
      const text = formatConversation(store.get(command.id), command.format);
      if (command.out) await writeExport(command.out, text);
      else process.stdout.write(text);
    }
  } finally {
    store.dispose();
  }
}

function writeLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function main(): Promise<void> {
  const command = parseHistoryArgs(process.argv.slice(2));
  if (command.kind === 'help') {
    process.stdout.write(`${HISTORY_USAGE}\n`);
    return;
  }
  if (command.kind === 'invalid') {
    process.stderr.write(`${command.message}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await run(command);
  } catch (error) {
    const sentence = error instanceof HistoryError ? error.message : `The history command failed (${error instanceof Error ? error.message : String(error)}).`;
    process.stderr.write(`${sentence}\n`);
    process.exitCode = 1;
  }
}

void main();
