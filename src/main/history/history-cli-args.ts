import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, type ExportFormat } from './history-export';

export const HISTORY_USAGE = `Usage: npm run -s history -- <command> [--data-dir DIR]

  list                                  one JSON line per conversation, newest first
  search TEXT                           one JSON line per matching line (nothing when none match)
  export ID [--format md|json] [--out FILE]
                                        the conversation as Markdown (default) or JSON,
                                        to FILE or to stdout

  --data-dir DIR   where history.sqlite lives (default: Parley's user-data folder)
  --help`;

export type HistoryCommand =
  | { kind: 'list'; dataDir: string | undefined }
  | { kind: 'search'; dataDir: string | undefined; query: string }
  | { kind: 'export'; dataDir: string | undefined; id: number; format: ExportFormat; out: string | undefined }
  | { kind: 'help' }
  | { kind: 'invalid'; message: string };

/** Options may come before or after the command, as people type them. */
export function parseHistoryArgs(argv: string[]): HistoryCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return invalid(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, ...rest] = positionals;
  const dataDir = values['data-dir'];
  switch (command) {
    case 'list':
      return rest.length === 0 ? { kind: 'list', dataDir } : invalid(`list takes no arguments, but got "${rest.join(' ')}"`);
    case 'search': {
      const query = rest.join(' ').trim();
      return query === '' ? invalid('search needs the text to look for, e.g. search weather') : { kind: 'search', dataDir, query };
    }
    case 'export': {
      const id = Number(rest[0]);
      if (rest.length !== 1 || !Number.isInteger(id) || id <= 0) return invalid('export needs one conversation id (a number from list), e.g. export 3');
      const format = values.format ?? 'md';
      if (!EXPORT_FORMATS.includes(format as ExportFormat)) return invalid(`--format must be md or json, not "${format}"`);
      return { kind: 'export', dataDir, id, format: format as ExportFormat, out: values.out };
    }
    case undefined:
      return invalid('Give a command: list, search or export');
    default:
      return invalid(`Unknown command "${command}"; use list, search or export`);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function invalid(problem: string): HistoryCommand {
  return { kind: 'invalid', message: `${problem}. Run with --help to see the commands.` };
}
